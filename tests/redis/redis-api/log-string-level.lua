-- redis.log with a string level
redis.log("3", "x")
return "ok"
