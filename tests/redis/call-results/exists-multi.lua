-- EXISTS with several keys counts them
--! keys: a b c
--! setup: SET a 1
--! setup: SET c 1
return redis.call("EXISTS", KEYS[1], KEYS[2], KEYS[3], KEYS[1])
