-- a bulk reply holding digits stays a string
--! keys: s
--! setup: SET s 12
local r = redis.call("GET", KEYS[1])
return {type(r), r .. "x"}
