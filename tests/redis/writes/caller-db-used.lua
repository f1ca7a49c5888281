-- a script runs in the caller's selected database
--! keys: k
--! cmd: SELECT 3
--! eval
--! cmd: SELECT 0
--! cmd: EXISTS k
redis.call("SET", KEYS[1], "written in db3")
return redis.call("GET", KEYS[1])
