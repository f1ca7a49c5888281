-- a coroutine left suspended does not change later calls
--! calls: 2
local co = coroutine.create(function() coroutine.yield(1) end)
coroutine.resume(co)
return coroutine.status(co)
