-- 256 to 65535 bytes: str16
local a = cmsgpack.pack(string.rep("y", 256))
local b = cmsgpack.pack(string.rep("y", 65535))
return {#a, a:sub(1, 4), #b, b:sub(1, 4)}
