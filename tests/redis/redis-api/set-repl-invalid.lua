-- redis.set_repl with an invalid flag value
redis.set_repl(100)
