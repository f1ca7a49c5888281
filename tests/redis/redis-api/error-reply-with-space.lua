-- error_reply keeps a message with a space as its own code
return redis.error_reply("MYERROR something")
