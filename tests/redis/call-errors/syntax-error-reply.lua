-- a syntax error reply of a command (SET with a bad option)
return redis.call("SET", "k", "v", "BADOPTION")
