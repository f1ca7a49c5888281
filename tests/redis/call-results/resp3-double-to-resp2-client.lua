-- setresp(3): a double from redis.call returned to a RESP2 client
--! keys: z
--! setup: ZADD z 0.1 m
redis.setresp(3)
return redis.call("ZSCORE", KEYS[1], "m")
