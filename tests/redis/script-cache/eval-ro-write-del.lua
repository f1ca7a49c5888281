-- EVAL_RO: DEL is a write too
--! keys: k
--! setup: SET k v
--! ro
return redis.call("DEL", KEYS[1])
