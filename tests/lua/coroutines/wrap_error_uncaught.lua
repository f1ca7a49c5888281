-- an uncaught error from a wrapped coroutine ends the script
local gen = coroutine.wrap(function() coroutine.yield(1) error("gen broke") end)
print(gen())
gen()
