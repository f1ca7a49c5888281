-- CLIENT is refused in scripts
return redis.pcall("CLIENT", "ID")
