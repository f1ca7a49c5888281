-- in 5.1 a __gc field in a table's metatable is never called
local called = false
local function scope() setmetatable({}, { __gc = function() called = true end }) end
scope()
collectgarbage("collect")
collectgarbage("collect")
print(called)
