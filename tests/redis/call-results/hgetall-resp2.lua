-- HGETALL in RESP2 is a flat array
--! keys: h
--! setup: HSET h f1 v1 f2 v2
local r = redis.call("HGETALL", KEYS[1])
return {#r, r}
