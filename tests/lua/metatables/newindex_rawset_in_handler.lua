-- a __newindex handler that stores with rawset is not called again for the same key
local calls = 0
local t = setmetatable({}, { __newindex = function(t, k, v) calls = calls + 1 rawset(t, k, v * 2) end })
t.x = 1
t.x = 5
t.y = 2
print(t.x, t.y, calls)
t.x = nil
t.x = 10
print(t.x, calls)
