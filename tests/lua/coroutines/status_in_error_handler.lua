-- coroutine status seen from inside pcall and after errors
local co
co = coroutine.create(function()
  local ok, e = pcall(function() error("inside") end)
  coroutine.yield(coroutine.status(co), ok, e)
  error("fatal")
end)
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.status(co))
