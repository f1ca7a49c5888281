-- blocking commands are refused in scripts
return redis.pcall("BLPOP", "l", 0)
