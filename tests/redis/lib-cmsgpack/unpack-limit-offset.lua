-- unpack_limit with an offset
return {cmsgpack.unpack_limit("\1\2\3\4", 2, 1)}
