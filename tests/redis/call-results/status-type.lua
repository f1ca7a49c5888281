-- TYPE answers a status
--! keys: l
--! setup: RPUSH l x
local r = redis.call("TYPE", KEYS[1])
return r.ok
