-- a table that contains itself stops at the nesting limit
local t = {}
t[1] = t
return cmsgpack.pack(t)
