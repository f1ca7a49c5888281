-- a 10000-element array
local t = {}
for i = 1, 10000 do t[i] = i end
local s = cjson.encode(t)
return {#s, s:sub(1, 12), s:sub(-12)}
