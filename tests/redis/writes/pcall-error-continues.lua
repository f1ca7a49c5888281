-- redis.pcall errors do not stop later writes
--! keys: l a
--! setup: RPUSH l x
redis.pcall("INCR", KEYS[1])
redis.call("SET", KEYS[2], "after")
return redis.call("GET", KEYS[2])
