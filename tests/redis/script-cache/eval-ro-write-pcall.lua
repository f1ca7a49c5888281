-- EVAL_RO: redis.pcall of a write command returns the error
--! keys: k
--! ro
local r = redis.pcall("SET", KEYS[1], "v")
return {r.err, redis.call("EXISTS", KEYS[1])}
