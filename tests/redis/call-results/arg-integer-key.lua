-- an integer used as a key name
redis.call("SET", 10, "ten")
return redis.call("GET", "10")
