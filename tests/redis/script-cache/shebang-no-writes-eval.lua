-- EVAL of a script with the no-writes flag refuses writes
--! keys: k
--! noload
--! eval
#!lua flags=no-writes
return redis.call("SET", KEYS[1], "v")
