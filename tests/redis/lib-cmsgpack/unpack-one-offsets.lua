-- unpack_one walking through a string with offsets
local s = cmsgpack.pack("a", "bb", "ccc")
local out = {}
local off, v = cmsgpack.unpack_one(s)
out[#out + 1] = off .. ":" .. v
off, v = cmsgpack.unpack_one(s, off)
out[#out + 1] = off .. ":" .. v
off, v = cmsgpack.unpack_one(s, off)
out[#out + 1] = off .. ":" .. v
return out
