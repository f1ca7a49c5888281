-- a table filled in reverse order still replies up to the first nil
local t = {}
t[3] = "c"; t[2] = "b"; t[1] = "a"; t[5] = "e"
return t
