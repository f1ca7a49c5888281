-- numbers passed to redis.call are formatted as %.17g
--! keys: a b c d e f g
redis.call("SET", KEYS[1], 0.1)
redis.call("SET", KEYS[2], 3)
redis.call("SET", KEYS[3], -0)
redis.call("SET", KEYS[4], 1e20)
redis.call("SET", KEYS[5], 1/3)
redis.call("SET", KEYS[6], 2^53)
redis.call("SET", KEYS[7], -12.5)
return redis.call("MGET", KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
