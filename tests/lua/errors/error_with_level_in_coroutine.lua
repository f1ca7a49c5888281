-- error levels inside coroutines point at the coroutine's own frames
local function check(x) if not x then error("check failed", 2) end end
local co = coroutine.create(function()
  check(true)
  check(false)
end)
print(coroutine.resume(co))
local co2 = coroutine.create(function() error("level 3 from coroutine body", 3) end)
print(coroutine.resume(co2))
