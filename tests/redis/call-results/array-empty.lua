-- an empty array reply is an empty table
--! keys: l
local r = redis.call("LRANGE", KEYS[1], 0, -1)
return {type(r), #r, next(r) == nil}
