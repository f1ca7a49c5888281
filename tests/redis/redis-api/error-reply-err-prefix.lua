-- error_reply of a message that already has ERR
return redis.error_reply("ERR already")
