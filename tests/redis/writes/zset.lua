-- a sorted set with float scores
--! keys: z
redis.call("ZADD", KEYS[1], 1.5, "b", -2, "a", 1e10, "c")
return redis.call("ZINCRBY", KEYS[1], 0.25, "b")
