-- a redis.call error after writes keeps the writes
--! keys: a l
--! setup: RPUSH l x
redis.call("SET", KEYS[1], "kept")
redis.call("INCR", KEYS[2])
