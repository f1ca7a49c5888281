-- the error line of a bad argument on line 4
local a = 1
local b = 2
redis.call("GET", {a, b})
