-- __eq runs only for two tables (or two userdata) sharing the same handler
local calls = 0
local function eq(a, b) calls = calls + 1 return a.id == b.id end
local mt1 = { __eq = eq }
local mt2 = { __eq = eq }
local mt3 = { __eq = function(a, b) calls = calls + 1 return true end }
local x = setmetatable({ id = 1 }, mt1)
local y = setmetatable({ id = 1 }, mt2)
local z = setmetatable({ id = 2 }, mt3)
print(x == y, calls)
print(x == z, calls)
print(z == x, calls)
print(x == x, calls)
print(x == 1, x == "1", x == nil, calls)
print(x ~= y, calls)
local plain = { id = 1 }
print(x == plain, plain == x, calls)
