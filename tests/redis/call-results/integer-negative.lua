-- negative integer replies
--! keys: n
local r = redis.call("DECRBY", KEYS[1], 12345)
return {type(r), r, r * 2}
