-- redis.log returns nothing
local n = select("#", redis.log(redis.LOG_WARNING, "conformance message"))
return {n, tostring(redis.log(redis.LOG_DEBUG, "debug message"))}
