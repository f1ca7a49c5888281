-- a WRONGTYPE error raised on line 5
--! keys: l
--! setup: RPUSH l x
local x = 1
redis.call("INCR", KEYS[1])
