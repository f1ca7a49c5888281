-- 32 to 255 bytes: str8 (the header only)
local a = cmsgpack.pack(string.rep("x", 32))
local b = cmsgpack.pack(string.rep("x", 255))
return {#a, a:sub(1, 3), #b, b:sub(1, 3)}
