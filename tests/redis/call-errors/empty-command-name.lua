-- an empty command name
return redis.pcall("")
