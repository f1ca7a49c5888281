-- a key name with binary bytes
--! keys: k\x00ey\xff
redis.call("SET", KEYS[1], "v")
return redis.call("GET", KEYS[1])
