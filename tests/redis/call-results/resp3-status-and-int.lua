-- setresp(3): status and integer replies are unchanged
--! keys: k
redis.setresp(3)
local a = redis.call("SET", KEYS[1], "1")
local b = redis.call("INCR", KEYS[1])
return {a.ok, b}
