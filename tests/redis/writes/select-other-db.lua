-- writes to another database through SELECT
--! keys: k
redis.call("SET", KEYS[1], "db0")
redis.call("SELECT", 5)
redis.call("SET", KEYS[1], "db5")
return redis.call("GET", KEYS[1])
