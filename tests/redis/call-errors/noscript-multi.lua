-- MULTI from inside a script is refused
return redis.call("MULTI")
