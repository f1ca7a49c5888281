-- concatenating a nil local
local v
return "a" .. v
