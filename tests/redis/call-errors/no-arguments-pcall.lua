-- redis.pcall() with no arguments returns an err table
return redis.pcall()
