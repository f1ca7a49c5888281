-- yield returns all values passed to resume; resume returns all values passed to yield
local co = coroutine.create(function(...)
  local n = select("#", ...)
  local a, b, c = coroutine.yield(n, ...)
  local r = { coroutine.yield(a, b, c) }
  return #r, unpack(r)
end)
print(coroutine.resume(co, "x", nil, "z"))
print(coroutine.resume(co, 1, 2, 3, 4))
print(coroutine.resume(co, "p", "q"))
