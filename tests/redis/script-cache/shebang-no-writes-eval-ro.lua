-- EVAL_RO of a no-writes script
--! keys: k
--! setup: SET k v
--! noload
--! ro
--! eval
#!lua flags=no-writes
return redis.call("GET", KEYS[1])
