-- setresp(3): a double from redis.call returned to RESP3 and RESP2 shapes
--! keys: z
--! setup: ZADD z 2.5 m
--! resp: 3
redis.setresp(3)
return redis.call("ZSCORE", KEYS[1], "m")
