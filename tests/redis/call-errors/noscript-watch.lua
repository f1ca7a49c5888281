-- WATCH is refused in scripts
return redis.pcall("WATCH", "k")
