-- ECHO returns its argument as a bulk string
return redis.call("ECHO", "hi there")
