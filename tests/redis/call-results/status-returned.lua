-- a status table returned as it is is a status reply
return redis.call("PING")
