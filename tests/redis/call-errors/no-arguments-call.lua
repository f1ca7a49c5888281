-- redis.call() with no arguments
return redis.call()
