-- unpack_limit with a negative limit
return {cmsgpack.unpack_limit("\1\2\3", -1)}
