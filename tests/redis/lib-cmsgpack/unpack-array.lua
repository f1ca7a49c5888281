-- a fixarray and an array16
local a = cmsgpack.unpack("\147\1\2\3")
local b = cmsgpack.unpack("\220\0\2\161x\161y")
return {#a, a[3], #b, b[2]}
