-- unpack_one at the end of the input
return {cmsgpack.unpack_one("\1\2\3", 3)}
