-- 16 string keys make a map16 (entry order follows Lua's traversal)
local t = {}
for i = 1, 16 do t["k" .. i] = i end
return cmsgpack.pack(t)
