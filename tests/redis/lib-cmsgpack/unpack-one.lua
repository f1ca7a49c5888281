-- unpack_one returns the next offset and one value
return {cmsgpack.unpack_one("\1\2\3")}
