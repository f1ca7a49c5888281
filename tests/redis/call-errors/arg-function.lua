-- a function argument to redis.pcall
return redis.pcall("SET", "k", function() end)
