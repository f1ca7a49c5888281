-- cmsgpack: a 16 MB string round trip
local s = cmsgpack.pack(string.rep("m", 16 * 1024 * 1024))
return {#s, #cmsgpack.unpack(s)}
