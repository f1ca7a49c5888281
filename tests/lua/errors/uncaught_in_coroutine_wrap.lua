-- uncaught: a runtime error inside a wrapped coroutine
local it = coroutine.wrap(function() local t = nil; t.x = 1 end)
it()
