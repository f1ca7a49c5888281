-- APPEND and SETRANGE
--! keys: s
redis.call("APPEND", KEYS[1], "hello")
redis.call("APPEND", KEYS[1], " world")
redis.call("SETRANGE", KEYS[1], 12, "!")
return redis.call("GET", KEYS[1])
