-- CR and LF in status_reply are replaced by spaces
return redis.status_reply("a\rb\nc")
