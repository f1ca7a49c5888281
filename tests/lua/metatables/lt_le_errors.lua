-- ordering tables without handlers, with different handlers, or mixed with other types
local mt1 = { __lt = function() return true end }
local mt2 = { __lt = function() return true end }
local a, b = setmetatable({}, mt1), setmetatable({}, mt2)
print(pcall(function() return a < b end))
print(pcall(function() return a < setmetatable({}, mt1) end))
print(pcall(function() return a < 1 end))
print(pcall(function() return 1 < a end))
print(pcall(function() return a <= a end))
print(pcall(function() return {} <= {} end))
print(pcall(function() return "a" < a end))
local only_le = { __le = function() return "yes" end }
local c = setmetatable({}, only_le)
print(c <= c, pcall(function() return c < c end))
