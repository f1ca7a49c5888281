-- coroutine.running is nil in the main thread and the current coroutine inside one
print(coroutine.running())
local co
co = coroutine.create(function()
  local me = coroutine.running()
  print(type(me), me == co)
  local w = coroutine.wrap(function() return coroutine.running() == co end)
  print("inside wrap it is another coroutine:", w())
end)
coroutine.resume(co)
