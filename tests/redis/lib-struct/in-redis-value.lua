-- a packed record stored and read back
--! keys: rec
redis.call("SET", KEYS[1], struct.pack(">I4c3d", 42, "abc", 2.5))
local n, s, d = struct.unpack(">I4c3d", redis.call("GET", KEYS[1]))
return {n, s, tostring(d), redis.call("STRLEN", KEYS[1])}
