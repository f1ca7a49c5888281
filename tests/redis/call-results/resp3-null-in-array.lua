-- setresp(3): null elements of MGET are nil, which ends the Lua array
--! keys: a b c
--! setup: SET a 1
--! setup: SET c 3
redis.setresp(3)
local r = redis.call("MGET", KEYS[1], KEYS[2], KEYS[3])
return {r[1], tostring(r[2]), r[3]}
