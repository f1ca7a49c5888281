-- SCRIPT LOAD is refused in scripts
return redis.pcall("SCRIPT", "LOAD", "return 1")
