-- the script continues after redis.pcall returns an error
--! keys: k
--! setup: SET k text
local r = redis.pcall("INCR", KEYS[1])
redis.call("SET", KEYS[1], "replaced")
return {r.err, redis.call("GET", KEYS[1])}
