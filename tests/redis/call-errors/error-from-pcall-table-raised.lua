-- an err table from redis.pcall raised with error()
--! keys: k
--! setup: SET k text
local r = redis.pcall("INCR", KEYS[1])
error(r)
