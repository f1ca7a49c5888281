-- __index is consulted only for absent keys; a field holding false is present
local t = setmetatable({ f = false, z = 0 }, { __index = function() return "from index" end })
print(t.f, t.z, t.other)
t.f = nil
print(t.f)
local arr = setmetatable({ 1, 2, 3 }, { __index = function(_, i) return "default" .. i end })
print(arr[1], arr[3], arr[4], arr[0], #arr)
