-- SETBIT and BITCOUNT
--! keys: bits
redis.call("SETBIT", KEYS[1], 7, 1)
redis.call("SETBIT", KEYS[1], 100, 1)
return {redis.call("BITCOUNT", KEYS[1]), redis.call("STRLEN", KEYS[1])}
