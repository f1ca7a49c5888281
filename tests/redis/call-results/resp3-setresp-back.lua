-- setresp(3) then setresp(2): HGETALL is a flat array again
--! keys: h
--! setup: HSET h f v
redis.setresp(3)
redis.setresp(2)
return redis.call("HGETALL", KEYS[1])
