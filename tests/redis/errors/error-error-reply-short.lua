-- error(redis.error_reply("x")) gets the ERR prefix from error_reply
error(redis.error_reply("x"))
