-- uncaught: an error propagating out of nested wrapped coroutines
local inner = coroutine.wrap(function() error("deep inside") end)
local outer = coroutine.wrap(function() inner() end)
outer()
