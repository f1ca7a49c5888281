-- EXPIRE marks a key volatile (the dump shows it, not the time)
--! keys: temp perm
redis.call("SET", KEYS[1], "v", "EX", 1000)
redis.call("SET", KEYS[2], "v")
return {redis.call("EXPIRE", KEYS[2], 5000), redis.call("PERSIST", KEYS[2])}
