-- status_reply keeps spaces
return redis.status_reply("all is well")
