-- DEL removes keys created by setup
--! keys: a b c
--! setup: MSET a 1 b 2 c 3
return redis.call("DEL", KEYS[1], KEYS[3], "nosuch")
