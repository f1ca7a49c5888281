-- redis.log with an invalid level
redis.log(99, "x")
