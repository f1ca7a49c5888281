-- status_reply with a number
return redis.status_reply(5)
