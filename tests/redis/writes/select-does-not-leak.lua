-- SELECT inside a script does not change the caller's database
--! keys: k
--! eval
--! cmd: GET k
--! cmd: SELECT 2
--! cmd: GET k
redis.call("SELECT", 2)
redis.call("SET", KEYS[1], "in db2")
return "selected"
