-- status tables collected into an array
--! keys: a b
return {redis.call("SET", KEYS[1], "1"), redis.call("SET", KEYS[2], "2"), redis.call("PING")}
