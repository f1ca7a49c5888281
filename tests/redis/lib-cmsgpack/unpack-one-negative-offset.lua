-- unpack_one with a negative offset
return cmsgpack.unpack_one("\1\2\3", -1)
