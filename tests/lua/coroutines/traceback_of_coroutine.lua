-- debug.traceback of a suspended coroutine shows its own stack
local function lvl3() coroutine.yield() end
local function lvl2() lvl3() end
local co = coroutine.create(function() lvl2() end)
coroutine.resume(co)
print(debug.traceback(co))
print(debug.traceback(co, "message"))
print(debug.traceback(co, "at level 1", 1))
local dead = coroutine.create(function() end)
coroutine.resume(dead)
print(debug.traceback(dead))
