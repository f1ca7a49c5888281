-- a hash written field by field
--! keys: h
redis.call("HSET", KEYS[1], "name", "ann", "age", 42)
redis.call("HINCRBY", KEYS[1], "age", 1)
return redis.call("HGET", KEYS[1], "age")
