-- PUBLISH is allowed and counts zero receivers
return redis.call("PUBLISH", "nobody-listens", "msg")
