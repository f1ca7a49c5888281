-- redis.pcall turns an error reply into an err table
--! keys: s
--! setup: SET s notanumber
local r = redis.pcall("INCR", KEYS[1])
return {type(r), r.err}
