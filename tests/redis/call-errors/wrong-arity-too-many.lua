-- too many arguments for a fixed-arity command
return redis.pcall("GET", "a", "b")
