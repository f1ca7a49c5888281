-- redis.log accepts every level constant
redis.log(redis.LOG_DEBUG, "d")
redis.log(redis.LOG_VERBOSE, "v")
redis.log(redis.LOG_NOTICE, "n")
redis.log(redis.LOG_WARNING, "w")
return "logged"
