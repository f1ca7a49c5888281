-- metamethods receive the operands exactly as written, including numeric strings
local seen
local mt = { __add = function(a, b) seen = type(a) .. "," .. type(b) return "r" end,
             __unm = function(a, b) seen = type(a) .. "," .. type(b) .. "," .. tostring(rawequal(a, b)) return "u" end,
             __concat = function(a, b) seen = type(a) .. "," .. type(b) return "c" end }
local t = setmetatable({}, mt)
print(t + "10", seen)
print("10" + t, seen)
print(t + 1.5, seen)
print(-t, seen)
print(t .. 2, seen)
print(2 .. t, seen)
print(true and t + t, seen)
