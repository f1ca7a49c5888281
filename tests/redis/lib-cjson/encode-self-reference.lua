-- a table that contains itself
local t = {}
t[1] = t
return cjson.encode(t)
