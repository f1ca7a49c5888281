-- an __index function that caches results with rawset is only called once per key
local calls = 0
local t = setmetatable({}, { __index = function(t, k) calls = calls + 1 local v = k .. "!" rawset(t, k, v) return v end })
print(t.a, t.a, t.b, t.a, calls)
t.a = nil
print(t.a, calls)
