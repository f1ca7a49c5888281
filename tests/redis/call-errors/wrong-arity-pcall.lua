-- wrong number of arguments returned by redis.pcall
return redis.pcall("SET", "onlykey")
