-- a large integer reply loses precision only past 2^53
--! keys: counter
--! setup: SET counter 9007199254740991
local r = redis.call("INCRBY", KEYS[1], 2)
return {tostring(r), string.format("%.0f", r)}
