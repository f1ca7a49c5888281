-- the first operand's handler wins; the second is used when the first has none
local function tag(name)
  return setmetatable({}, { __add = function(x, y) return name end, __concat = function(x, y) return name .. "..." end })
end
local L, R = tag("left"), tag("right")
print(L + R, R + L, L + 1, 1 + R, "5" + R)
print(L .. R, R .. L, "s" .. R, L .. "s", 1 .. R)
local only_mul = setmetatable({}, { __mul = function() return "mul" end })
print(pcall(function() return only_mul + 1 end))
print(pcall(function() return 1 + only_mul end))
print(only_mul * only_mul, 3 * only_mul)
