-- a command name with a space in it
return redis.pcall("GET X", "k")
