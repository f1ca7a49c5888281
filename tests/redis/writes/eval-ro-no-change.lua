-- a failed write in EVAL_RO leaves the keyspace as setup left it
--! keys: k
--! setup: SET k original
--! ro
return redis.pcall("SET", KEYS[1], "changed")
