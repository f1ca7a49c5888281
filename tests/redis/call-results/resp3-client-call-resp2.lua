-- RESP3 client, no setresp: HGETALL inside the script is RESP2-shaped
--! keys: h
--! setup: HSET h f v
--! resp: 3
local r = redis.call("HGETALL", KEYS[1])
return {#r, r[1], r[2]}
