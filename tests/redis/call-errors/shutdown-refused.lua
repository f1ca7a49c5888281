-- SHUTDOWN is refused in scripts
return redis.pcall("SHUTDOWN", "NOSAVE")
