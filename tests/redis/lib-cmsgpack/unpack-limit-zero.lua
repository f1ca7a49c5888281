-- unpack_limit with a limit of 0 (no limit)
return {cmsgpack.unpack_limit("\1\2\3\4", 0)}
