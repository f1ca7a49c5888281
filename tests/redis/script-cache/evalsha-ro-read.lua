-- EVALSHA_RO running a read command
--! keys: k
--! setup: SET k 7
--! ro
--! cmd: SCRIPT LOAD $BODY
--! evalsha
return redis.call("GET", KEYS[1])
