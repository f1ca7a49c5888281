-- 65536 elements make an array32
local t = {}
for i = 1, 65536 do t[i] = 0 end
local s = cmsgpack.pack(t)
return {#s, s:sub(1, 7)}
