-- a bad argument means the command is not run at all
--! keys: k
redis.pcall("SET", KEYS[1], "v", {})
return redis.call("EXISTS", KEYS[1])
