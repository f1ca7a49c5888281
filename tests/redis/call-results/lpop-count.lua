-- LPOP with a count on a missing key is a null, with a count a null array
--! keys: l
local a = redis.call("LPOP", KEYS[1])
local b = redis.call("LPOP", KEYS[1], 2)
return {tostring(a), tostring(b)}
