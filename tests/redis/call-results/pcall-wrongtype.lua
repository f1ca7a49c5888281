-- redis.pcall keeps the WRONGTYPE code
--! keys: l
--! setup: RPUSH l x
local r = redis.pcall("GET", KEYS[1])
return r.err
