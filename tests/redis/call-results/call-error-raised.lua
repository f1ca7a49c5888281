-- redis.call raises the error reply, which ends the script with the script suffix
--! keys: s
--! setup: SET s notanumber
redis.call("INCR", KEYS[1])
return "not reached"
