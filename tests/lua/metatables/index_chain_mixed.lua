-- __index chains mixing tables and functions, with rawget at each level
local calls = 0
local root = setmetatable({}, { __index = function(t, k) calls = calls + 1 return "root:" .. k end })
local l1 = setmetatable({ one = 1 }, { __index = root })
local l2 = setmetatable({ two = 2 }, { __index = l1 })
print(l2.two, l2.one, l2.three, calls)
print(rawget(l2, "one"), rawget(l1, "one"), rawget(root, "three"))
getmetatable(l1).__index = function(t, k) return "l1fn:" .. k end
print(l2.one, l2.three, calls)
