-- a packed value stored with SET and unpacked from GET
--! keys: packed
redis.call("SET", KEYS[1], cmsgpack.pack({1, 2, {k = "v"}}))
local t = cmsgpack.unpack(redis.call("GET", KEYS[1]))
return {t[1], t[3].k, redis.call("STRLEN", KEYS[1])}
