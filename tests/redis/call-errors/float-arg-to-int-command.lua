-- a float argument where an integer is expected
--! keys: k
return redis.pcall("INCRBY", KEYS[1], 1.5)
