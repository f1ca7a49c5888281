-- debug.getinfo and getlocal with a coroutine as the first argument
local co = coroutine.create(function(x)
  local inside = "in co"
  coroutine.yield()
end)
coroutine.resume(co, 7)
local i = debug.getinfo(co, 1, "Sl")
print(i.what, i.currentline)
print(debug.getlocal(co, 1, 1))
print(debug.getlocal(co, 1, 2))
print(debug.getinfo(co, 5))
print(debug.traceback(co, "co tb"))
