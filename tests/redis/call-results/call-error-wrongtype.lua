-- a WRONGTYPE error raised by redis.call keeps its code
--! keys: l
--! setup: RPUSH l x
return redis.call("GET", KEYS[1])
