-- EVAL_RO running a write command
--! keys: k
--! ro
return redis.call("SET", KEYS[1], "v")
