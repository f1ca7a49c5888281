-- a boolean argument to redis.call
return redis.call("SET", "k", true)
