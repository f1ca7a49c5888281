-- a shebang with allow-cross-slot-keys
--! keys: a b
--! noload
--! eval
#!lua flags=allow-cross-slot-keys
redis.call("SET", KEYS[1], "1")
redis.call("SET", KEYS[2], "2")
return "ok"
