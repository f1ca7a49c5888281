-- scores in RESP2 are bulk strings
--! keys: z
--! setup: ZADD z 1.5 a 2 b -0.25 c
local r = redis.call("ZRANGE", KEYS[1], 0, -1, "WITHSCORES")
return {type(r[2]), r}
