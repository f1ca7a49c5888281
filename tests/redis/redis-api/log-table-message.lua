-- redis.log with a table as the message
return {pcall(redis.log, redis.LOG_WARNING, {})}
