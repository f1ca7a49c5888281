-- a null bulk reply is false
--! keys: missing
local r = redis.call("GET", KEYS[1])
return {type(r), tostring(r), r == false}
