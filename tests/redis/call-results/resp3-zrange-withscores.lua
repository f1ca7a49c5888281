-- setresp(3): ZRANGE WITHSCORES gives pairs with double scores
--! keys: z
--! setup: ZADD z 1 a 2.5 b
redis.setresp(3)
local r = redis.call("ZRANGE", KEYS[1], 0, -1, "WITHSCORES")
return {#r, r[1][1], r[1][2].double, r[2][1], tostring(r[2][2].double)}
