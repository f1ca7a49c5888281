-- SELECT inside a script changes the script's database only for the script
--! keys: k
redis.call("SELECT", 3)
redis.call("SET", KEYS[1], "in-db3")
return redis.call("GET", KEYS[1])
