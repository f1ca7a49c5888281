-- sha1hex of a short string
return redis.sha1hex("abc")
