-- unpack with bounds beyond 32 bits wraps them around
return {unpack({1, 2, 3}, 2^32 + 1, 2^32 + 2)}
