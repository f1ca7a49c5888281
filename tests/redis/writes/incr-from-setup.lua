-- a counter created by setup and incremented by the script
--! keys: counter
--! setup: SET counter 5
return redis.call("INCRBY", KEYS[1], 10)
