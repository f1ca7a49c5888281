-- writes still happen with REPL_NONE (replication only is affected)
--! keys: k
redis.set_repl(redis.REPL_NONE)
redis.call("SET", KEYS[1], "v")
redis.set_repl(redis.REPL_ALL)
return redis.call("GET", KEYS[1])
