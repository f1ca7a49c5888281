-- setmetatable argument checks and return value; getmetatable of non-tables
local t = {}
print(setmetatable(t, nil) == t, getmetatable(t))
local mt = {}
print(setmetatable(t, mt) == t, getmetatable(t) == mt)
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, t, 1))
print(pcall(setmetatable, t))
print(pcall(setmetatable))
print(pcall(setmetatable, "s", {}))
print(getmetatable(1), getmetatable(nil), getmetatable(print), getmetatable(true))
print(getmetatable("") == getmetatable("other"), getmetatable("").__index == string)
print(pcall(getmetatable))
