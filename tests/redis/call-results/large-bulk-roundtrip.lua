-- a 1 MB value written and read back
--! keys: big
redis.call("SET", KEYS[1], string.rep("0123456789", 100000))
local v = redis.call("GET", KEYS[1])
return {#v, v:sub(-3), redis.call("STRLEN", KEYS[1])}
