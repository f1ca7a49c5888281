-- pcall around redis.call catches the error; what value does it give?
--! keys: s
--! setup: SET s notanumber
local ok, e = pcall(redis.call, "INCR", KEYS[1])
return {tostring(ok), type(e), e}
