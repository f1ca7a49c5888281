-- INCRBYFLOAT stores the formatted float
--! keys: f
redis.call("SET", KEYS[1], "1.1")
redis.call("INCRBYFLOAT", KEYS[1], "2.2")
return redis.call("INCRBYFLOAT", KEYS[1], 1e-3)
