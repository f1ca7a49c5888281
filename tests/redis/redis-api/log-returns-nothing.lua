-- redis.log returns nothing
return {select("#", redis.log(redis.LOG_WARNING, "conformance message")), select("#", redis.log(redis.LOG_DEBUG, "debug message"))}
