-- a shebang with no flags: the script may write
--! keys: k
--! noload
--! eval
#!lua
return redis.call("SET", KEYS[1], "v")
