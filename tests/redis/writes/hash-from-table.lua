-- writing a Lua table into a hash with unpack
--! keys: h
local fields = {"f1", "v1", "f2", "v2", "f3", "v3"}
redis.call("HSET", KEYS[1], unpack(fields))
return redis.call("HLEN", KEYS[1])
