-- a number where the command name goes is formatted, then unknown
return redis.pcall(1)
