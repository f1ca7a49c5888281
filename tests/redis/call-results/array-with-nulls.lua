-- null elements of an array are false
--! keys: a b c
--! setup: SET a 1
--! setup: SET c 3
local r = redis.call("MGET", KEYS[1], KEYS[2], KEYS[3])
return {#r, type(r[2]), tostring(r[2]), r[1], r[3]}
