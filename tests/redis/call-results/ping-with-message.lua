-- PING with an argument answers a bulk string, not a status
local r = redis.call("PING", "hey")
return {type(r), r}
