-- an integer reply is a Lua number
--! keys: counter
--! setup: SET counter 41
local r = redis.call("INCR", KEYS[1])
return {type(r), r}
