-- bulk replies are binary safe
--! keys: s
--! setup: SET s a\x00b\x0d\x0a\xff
local r = redis.call("GET", KEYS[1])
return {#r, string.byte(r, 1, -1)}
