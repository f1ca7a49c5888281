-- a command with 1000 arguments
--! keys: l
local args = {}
for i = 1, 1000 do args[i] = i end
redis.call("RPUSH", KEYS[1], unpack(args))
return {redis.call("LLEN", KEYS[1]), redis.call("LINDEX", KEYS[1], -1)}
