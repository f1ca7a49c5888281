-- a status reply is a table with an ok field
--! keys: s
local r = redis.call("SET", KEYS[1], "v")
return {type(r), r.ok, #r}
