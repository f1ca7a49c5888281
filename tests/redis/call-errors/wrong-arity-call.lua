-- wrong number of arguments raised by redis.call
return redis.call("GET")
