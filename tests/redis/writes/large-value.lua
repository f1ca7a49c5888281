-- a 200 KB value
--! keys: big
redis.call("SET", KEYS[1], string.rep("abcdefghij", 20000))
return redis.call("STRLEN", KEYS[1])
