-- a table argument to redis.call
return redis.call("SET", "k", {})
