-- invalid table keys: nil and NaN on assignment; reading them is allowed
local t = {}
print(pcall(function() t[nil] = 1 end))
print(pcall(function() t[0/0] = 1 end))
print(pcall(function() local k; t[k] = 1 end))
print(pcall(function() return t[nil] end))
print(pcall(function() return { [nil] = 1 } end))
print(pcall(rawset, t, nil, 1))
print(pcall(function() local s = setmetatable({}, { __newindex = function() end }) s[nil] = 1 return "mm called" end))
