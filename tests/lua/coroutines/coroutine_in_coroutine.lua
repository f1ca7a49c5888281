-- nested coroutines: resuming inside a coroutine and yielding back out level by level
local function gen(name, n)
  return coroutine.create(function()
    for i = 1, n do coroutine.yield(name .. i) end
    return name .. " done"
  end)
end
local outer = coroutine.create(function()
  local a, b = gen("a", 2), gen("b", 3)
  for i = 1, 4 do
    local _, va = coroutine.resume(a)
    local _, vb = coroutine.resume(b)
    coroutine.yield(tostring(va) .. "/" .. tostring(vb))
  end
end)
for i = 1, 5 do print(coroutine.resume(outer)) end
