-- cmsgpack: packing 100000 nested tables stops at the nesting limit
local t = {}
for i = 1, 100000 do t = {t} end
local s = cmsgpack.pack(t)
return {#s, s}
