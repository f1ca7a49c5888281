-- setresp(3): HGETALL is a map table
--! keys: h
--! setup: HSET h field value
redis.setresp(3)
local r = redis.call("HGETALL", KEYS[1])
return {type(r.map), r.map.field}
