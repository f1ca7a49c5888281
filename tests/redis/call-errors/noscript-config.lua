-- CONFIG is refused in scripts
return redis.pcall("CONFIG", "GET", "maxmemory")
