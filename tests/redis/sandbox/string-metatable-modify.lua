-- changing the string metatable is refused
getmetatable("").__index = {upper = function() return "hijacked" end}
return ("x"):upper()
