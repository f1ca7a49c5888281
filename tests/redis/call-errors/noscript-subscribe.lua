-- SUBSCRIBE is refused in scripts
return redis.pcall("SUBSCRIBE", "ch")
