-- 16 elements make an array16
local t = {}
for i = 1, 16 do t[i] = i end
return cmsgpack.pack(t)
