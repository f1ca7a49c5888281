-- setresp(3): ZRANGE WITHSCORES passed straight to a RESP3 client
--! keys: z
--! setup: ZADD z 1 a 2.5 b
--! resp: 3
redis.setresp(3)
return redis.call("ZRANGE", KEYS[1], 0, -1, "WITHSCORES")
