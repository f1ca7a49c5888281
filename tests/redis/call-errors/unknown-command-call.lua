-- an unknown command raised by redis.call
return redis.call("NOSUCHCOMMAND", "x")
