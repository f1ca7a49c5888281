-- coroutines share upvalues with their creator and with each other
local counter = 0
local function make() return coroutine.wrap(function() while true do counter = counter + 1 coroutine.yield(counter) end end) end
local a, b = make(), make()
print(a(), b(), a(), b(), counter)
local log = {}
local co = coroutine.create(function() for i = 1, 3 do log[#log + 1] = i coroutine.yield() end end)
coroutine.resume(co); coroutine.resume(co)
print(#log)
