-- setresp(3): redis.pcall errors are still err tables
--! keys: k
--! setup: SET k x
redis.setresp(3)
return redis.pcall("INCR", KEYS[1])
