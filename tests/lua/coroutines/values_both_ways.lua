-- values pass both ways: resume arguments become yield results and vice versa
local co = coroutine.create(function(...)
  local args = { ... }
  print("first resume args", select("#", ...), ...)
  while true do
    local r = { coroutine.yield(#args, unpack(args)) }
    if #r == 0 then break end
    args = r
  end
  return "end"
end)
print(coroutine.resume(co, "a", "b", "c"))
print(coroutine.resume(co, 1))
print(coroutine.resume(co, nil, nil))
print(coroutine.resume(co))
print(coroutine.status(co))
local co2 = coroutine.create(function() return coroutine.yield() end)
print(coroutine.resume(co2))
print(coroutine.resume(co2, "x", "y", "z"))
