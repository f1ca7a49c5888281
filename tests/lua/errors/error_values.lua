-- error with non-string values: tables and booleans pass through, numbers get positions
local t = { code = 7 }
local ok, e = pcall(error, t)
print(ok, e == t, e.code)
print(pcall(error, nil))
print(pcall(error))
print(pcall(error, true))
print(pcall(error, false))
print(pcall(function() error(42) end))
print(pcall(function() error(42, 0) end))
print(pcall(function() error(4.5) end))
print(pcall(function() error("") end))
local f = function() end
local ok2, e2 = pcall(error, f)
print(ok2, e2 == f)
