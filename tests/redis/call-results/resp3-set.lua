-- setresp(3): SMEMBERS is a set table
--! keys: s
--! setup: SADD s only
redis.setresp(3)
local r = redis.call("SMEMBERS", KEYS[1])
return {type(r.set), tostring(r.set.only)}
