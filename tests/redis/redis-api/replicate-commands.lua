-- redis.replicate_commands() returns true in Redis 7
return {tostring(redis.replicate_commands()), type(redis.replicate_commands())}
