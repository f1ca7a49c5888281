-- unpack_one with an offset past the end
return cmsgpack.unpack_one("\1\2\3", 5)
