-- error_reply of a message starting with a dash
return redis.error_reply("-DASH x")
