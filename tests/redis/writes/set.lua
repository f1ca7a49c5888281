-- a set of strings (the dump sorts members)
--! keys: s
return redis.call("SADD", KEYS[1], "pear", "apple", "fig", "apple")
