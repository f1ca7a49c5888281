-- status_reply with two arguments
return redis.status_reply("a", "b")
