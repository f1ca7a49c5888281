-- __unm on tables; __len only applies to userdata, tables use their raw length
local t = setmetatable({ 1, 2, 3 }, { __unm = function(x) return "negated" end, __len = function() return 99 end })
print(-t, #t)
local u = newproxy(true)
getmetatable(u).__len = function(self) return 42 end
print(#u)
getmetatable(u).__len = function(self) return "not a number", 1 end
print(#u)
local plain = newproxy(false)
print(pcall(function() return #plain end))
local nolen = newproxy(true)
print(pcall(function() return #nolen end))
print(pcall(function() return -nolen end))
