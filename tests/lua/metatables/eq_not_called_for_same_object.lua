-- __eq is not called when both operands are the same object or when they are raw equal
local calls = 0
local mt = { __eq = function() calls = calls + 1 return false end }
local a = setmetatable({}, mt)
local b = setmetatable({}, mt)
print(a == a, calls)
print(a == b, calls)
print(a ~= a, calls)
local t = { a }
print(t[1] == a, calls)
