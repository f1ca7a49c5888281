-- every integer width survives a round trip
local vals = {0, 127, 128, 255, 256, 65535, 65536, 2^32, -1, -32, -33, -128, -129, -32768, -32769, -2^31, -2^31 - 1}
local out = {}
for i, v in ipairs(vals) do out[i] = tostring(cmsgpack.unpack(cmsgpack.pack(v)) == v) end
return out
