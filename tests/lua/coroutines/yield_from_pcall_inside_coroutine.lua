-- errors caught by pcall inside a coroutine leave it resumable
local co = coroutine.create(function()
  for i = 1, 3 do
    local ok, e = pcall(function() if i == 2 then error("bad " .. i) end return i end)
    coroutine.yield(ok, e)
  end
  return "end"
end)
for i = 1, 5 do print(coroutine.resume(co)) end
