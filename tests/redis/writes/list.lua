-- a list built with pushes and pops
--! keys: l
redis.call("RPUSH", KEYS[1], "a", "b", "c")
redis.call("LPUSH", KEYS[1], "z")
redis.call("RPOP", KEYS[1])
return redis.call("LLEN", KEYS[1])
