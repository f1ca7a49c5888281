-- a nil argument to redis.call
return redis.call("SET", "k", nil)
