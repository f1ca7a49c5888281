-- EVALSHA runs a script loaded with SCRIPT LOAD
--! keys: k
--! args: v
--! cmd: SCRIPT LOAD $BODY
--! evalsha
--! evalsha
redis.call("SET", KEYS[1], ARGV[1])
return redis.call("GET", KEYS[1])
