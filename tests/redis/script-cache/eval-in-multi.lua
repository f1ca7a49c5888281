-- EVAL queued inside MULTI/EXEC
--! keys: k
--! cmd: MULTI
--! eval
--! cmd: INCR k
--! eval
--! cmd: EXEC
return redis.call("INCR", KEYS[1])
