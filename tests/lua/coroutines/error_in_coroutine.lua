-- errors inside a coroutine: resume returns false and the message; values of any type
local co = coroutine.create(function(x)
  coroutine.yield(x)
  local t = nil
  return t.field
end)
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
print(coroutine.status(co))
local co2 = coroutine.create(function() error({ msg = "table error" }) end)
local ok, e = coroutine.resume(co2)
print(ok, type(e), e.msg)
local co3 = coroutine.create(function() error() end)
print(coroutine.resume(co3))
local co4 = coroutine.create(function() error("lvl2", 2) end)
print(coroutine.resume(co4))
