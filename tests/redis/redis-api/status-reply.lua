-- status_reply makes a status reply
return redis.status_reply("FINE")
