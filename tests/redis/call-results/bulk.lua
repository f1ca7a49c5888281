-- a bulk reply is a Lua string
--! keys: s
--! setup: SET s hello
local r = redis.call("GET", KEYS[1])
return {type(r), r, #r}
