-- error_reply values inside an array
return {1, redis.error_reply("nested"), redis.error_reply("NESTED two")}
