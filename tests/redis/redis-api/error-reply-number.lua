-- error_reply with a number
return redis.error_reply(12)
