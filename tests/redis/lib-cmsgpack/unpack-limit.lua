-- unpack_limit returns at most N values after the offset
return {cmsgpack.unpack_limit("\1\2\3\4", 2)}
