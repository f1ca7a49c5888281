-- a 100000-character string
local s = cjson.encode(string.rep("ab\"", 33333))
return {#s, s:sub(1, 10), s:sub(-10)}
