-- redis.log with a level only
redis.log(redis.LOG_WARNING)
