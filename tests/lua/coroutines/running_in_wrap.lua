-- coroutine.running inside wrap returns the wrap's coroutine, which is running
local w = coroutine.wrap(function()
  local co = coroutine.running()
  return type(co), coroutine.status(co)
end)
print(w())
