-- setresp(3): ZSCORE is a double table
--! keys: z
--! setup: ZADD z 2.5 m
redis.setresp(3)
local r = redis.call("ZSCORE", KEYS[1], "m")
return {type(r), type(r.double), tostring(r.double)}
