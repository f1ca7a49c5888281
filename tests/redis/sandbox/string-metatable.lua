-- strings have a metatable whose __index is the string library
local mt = getmetatable("")
return {type(mt), tostring(mt.__index == string)}
