-- command names are case-insensitive
--! keys: k
redis.call("set", KEYS[1], "a")
redis.call("SeT", KEYS[1], "b")
return {redis.call("gEt", KEYS[1]), redis.call("STRLEN", KEYS[1])}
