-- EVALSHA_RO running a write command
--! keys: k
--! ro
--! cmd: SCRIPT LOAD $BODY
--! evalsha
return redis.call("INCR", KEYS[1])
