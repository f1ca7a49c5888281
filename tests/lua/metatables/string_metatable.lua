-- strings share a metatable whose __index is the string table, so methods work
local s = "Hello"
print(s:upper(), s:lower(), s:len(), s:rep(2, "-"))
print(("%5.1f"):format(3.14159))
print(("abc"):byte(1, -1))
print(#("x"):rep(10))
string.shout = function(self) return self:upper() .. "!" end
print(("hey"):shout())
local mt = getmetatable("")
print(type(mt), mt.__index == string)
print(pcall(function() return ("x"):nosuch() end))
print(pcall(function() local n = 5 return n:upper() end))
print(("10") + 5, ("3"):rep(3) + 1)
