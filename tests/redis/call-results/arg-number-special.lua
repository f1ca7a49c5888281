-- inf, -inf and NaN passed as arguments
--! keys: a b c
redis.call("SET", KEYS[1], 1/0)
redis.call("SET", KEYS[2], -1/0)
redis.call("SET", KEYS[3], 0/0)
return redis.call("MGET", KEYS[1], KEYS[2], KEYS[3])
