-- an err table from redis.pcall returned as it is is an error reply without the script suffix
--! keys: s
--! setup: SET s notanumber
return redis.pcall("INCR", KEYS[1])
