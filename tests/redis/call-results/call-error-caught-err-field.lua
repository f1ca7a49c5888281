-- the caught error value of redis.call: is there an err field?
--! keys: s
--! setup: SET s notanumber
local ok, e = pcall(function() return redis.call("INCR", KEYS[1]) end)
if type(e) == "table" then return {"table", e.err} end
return {"other", e}
