-- EVAL_RO running a read command
--! keys: k
--! setup: SET k v
--! ro
return redis.call("GET", KEYS[1])
