-- error_reply with no argument
return redis.error_reply()
