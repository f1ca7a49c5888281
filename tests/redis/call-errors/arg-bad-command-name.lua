-- a table as the command name
return redis.pcall({}, "x")
