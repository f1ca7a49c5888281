-- redis.set_repl with a non-number
redis.set_repl("all")
