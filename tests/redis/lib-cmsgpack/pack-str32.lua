-- 65536 bytes and more: str32
local a = cmsgpack.pack(string.rep("z", 65536))
return {#a, a:sub(1, 6)}
