-- traceback of a coroutine with a message and explicit levels
local function deep() coroutine.yield() end
local co = coroutine.create(function() local function mid() deep() end mid() end)
coroutine.resume(co)
print(debug.traceback(co, "lvl0", 0))
print(debug.traceback(co, "lvl2", 2))
print(debug.traceback(co, "lvl9", 9))
