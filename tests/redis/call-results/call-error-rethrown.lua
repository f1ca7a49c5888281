-- an error caught from redis.call and raised again
--! keys: s
--! setup: SET s notanumber
local ok, e = pcall(redis.call, "INCR", KEYS[1])
error(e)
