-- yield from a for loop body works; yield inside the iterator function crosses a C boundary in 5.1
local function iter_yield(t)
  return function(_, i)
    i = i + 1
    if t[i] then coroutine.yield("iter " .. i) return i, t[i] end
  end, t, 0
end
local co = coroutine.wrap(function()
  for i, v in iter_yield({ "a", "b" }) do coroutine.yield("body " .. v) end
  return "loop done"
end)
print(pcall(co))
local co2 = coroutine.wrap(function()
  for i, v in ipairs({ "x", "y" }) do coroutine.yield("body " .. v) end
  for k in pairs({ only = 1 }) do coroutine.yield("pairs " .. k) end
  return "loop done"
end)
for _ = 1, 4 do print(co2()) end
