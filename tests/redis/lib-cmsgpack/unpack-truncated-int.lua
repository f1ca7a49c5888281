-- a uint32 missing bytes
return cmsgpack.unpack("\206\0\1")
