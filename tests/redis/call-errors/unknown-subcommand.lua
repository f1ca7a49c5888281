-- an unknown subcommand of OBJECT
return redis.pcall("OBJECT", "NOSUCH", "k")
