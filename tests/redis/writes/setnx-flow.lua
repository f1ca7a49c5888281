-- SET NX and XX results
--! keys: k
local a = redis.call("SET", KEYS[1], "1", "NX")
local b = redis.call("SET", KEYS[1], "2", "NX")
local c = redis.call("SET", KEYS[1], "3", "XX")
return {a.ok, tostring(b), c.ok}
