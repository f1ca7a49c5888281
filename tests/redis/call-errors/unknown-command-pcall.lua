-- an unknown command returned by redis.pcall
return redis.pcall("NOSUCHCOMMAND", "x")
