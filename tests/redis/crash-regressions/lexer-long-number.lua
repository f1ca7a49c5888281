-- a 100000-digit numeral in source
local f = loadstring("return " .. string.rep("7", 100000))
return tostring(f())
