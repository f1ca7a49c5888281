-- error_reply adds ERR when the message has no space
return redis.error_reply("MYERROR")
