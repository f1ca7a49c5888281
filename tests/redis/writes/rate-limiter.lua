-- a typical fixed-window rate limiter
--! keys: rl:user1
--! args: 3
--! calls: 5
local n = redis.call("INCR", KEYS[1])
if n == 1 then redis.call("EXPIRE", KEYS[1], 60) end
if n > tonumber(ARGV[1]) then return redis.error_reply("LIMIT exceeded") end
return n
