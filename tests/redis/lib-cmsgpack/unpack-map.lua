-- a fixmap and a map16
local a = cmsgpack.unpack("\129\161k\161v")
local b = cmsgpack.unpack("\222\0\1\1\2")
return {a.k, b[1]}
