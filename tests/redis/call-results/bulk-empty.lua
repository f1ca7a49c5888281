-- an empty bulk reply is the empty string
--! keys: s
--! setup: SET s \x00
redis.call("SET", KEYS[1], "")
local r = redis.call("GET", KEYS[1])
return {type(r), #r}
