-- CR and LF in error_reply are replaced by spaces
return redis.error_reply("line1\r\nline2")
