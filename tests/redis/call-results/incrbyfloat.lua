-- INCRBYFLOAT answers a bulk string
--! keys: f
--! setup: SET f 10.5
local r = redis.call("INCRBYFLOAT", KEYS[1], 0.1)
return {type(r), r}
