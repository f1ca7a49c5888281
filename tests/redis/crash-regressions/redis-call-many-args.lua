-- redis.call with 7000 arguments
--! keys: l
local t = {}
for i = 1, 7000 do t[i] = i end
return redis.call("RPUSH", KEYS[1], unpack(t))
