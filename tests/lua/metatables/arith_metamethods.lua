-- every arithmetic metamethod, with the table on either side
local V = {}
V.__index = V
local function new(x) return setmetatable({ x = x }, V) end
local function val(a) return type(a) == "table" and a.x or a end
V.__add = function(a, b) return new(val(a) + val(b)) end
V.__sub = function(a, b) return new(val(a) - val(b)) end
V.__mul = function(a, b) return new(val(a) * val(b)) end
V.__div = function(a, b) return new(val(a) / val(b)) end
V.__mod = function(a, b) return new(val(a) % val(b)) end
V.__pow = function(a, b) return new(val(a) ^ val(b)) end
V.__unm = function(a) return new(-val(a)) end
local a, b = new(7), new(2)
print((a + b).x, (a - b).x, (a * b).x, (a / b).x, (a % b).x, (a ^ b).x, (-a).x)
print((a + 1).x, (1 + a).x, (10 - a).x, (a - 10).x, (2 ^ b).x)
print((a + "3").x, ("3" * b).x)
print((a + b * b - -a).x)
