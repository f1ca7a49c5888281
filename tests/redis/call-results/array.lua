-- an array reply is a Lua table
--! keys: l
--! setup: RPUSH l a b c
local r = redis.call("LRANGE", KEYS[1], 0, -1)
return {type(r), #r, r[1], r[3]}
