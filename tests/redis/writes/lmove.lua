-- moving elements between lists
--! keys: src dst
--! setup: RPUSH src 1 2 3
redis.call("LMOVE", KEYS[1], KEYS[2], "LEFT", "RIGHT")
redis.call("LMOVE", KEYS[1], KEYS[2], "RIGHT", "LEFT")
return redis.call("LRANGE", KEYS[2], 0, -1)
