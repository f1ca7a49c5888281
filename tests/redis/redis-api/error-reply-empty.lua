-- error_reply of the empty string
return redis.error_reply("")
