-- the string metatable's __index is the readonly string table
getmetatable("").__index.upper = function() return "hijacked" end
return ("x"):upper()
