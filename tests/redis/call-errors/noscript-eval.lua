-- EVAL from inside a script is refused
return redis.pcall("EVAL", "return 1", 0)
