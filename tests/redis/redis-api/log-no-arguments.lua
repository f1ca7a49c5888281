-- redis.log with no arguments
redis.log()
