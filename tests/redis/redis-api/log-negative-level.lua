-- redis.log with a negative level
return {pcall(redis.log, -1, "x")}
