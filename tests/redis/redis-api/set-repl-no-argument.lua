-- redis.set_repl with no argument
redis.set_repl()
