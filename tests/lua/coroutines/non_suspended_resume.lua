-- resuming the running coroutine or a normal one is an error
local co
co = coroutine.create(function()
  print(coroutine.resume(co))
  local inner = coroutine.create(function()
    print(coroutine.resume(co))
  end)
  coroutine.resume(inner)
  return "finished"
end)
print(coroutine.resume(co))
local w
w = coroutine.wrap(function() return w() end)
print(pcall(w))
