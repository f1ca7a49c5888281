-- EVAL of a no-writes script may read
--! keys: k
--! setup: SET k v
--! noload
--! eval
#!lua flags=no-writes
return redis.call("GET", KEYS[1])
