-- redis.log with several message arguments
redis.log(redis.LOG_NOTICE, "part1", "part2", 3)
return "ok"
