-- INCR past the 64-bit limit
--! keys: k
--! setup: SET k 9223372036854775807
return redis.pcall("INCR", KEYS[1])
