-- SELECT of a database that does not exist
return redis.pcall("SELECT", 99)
