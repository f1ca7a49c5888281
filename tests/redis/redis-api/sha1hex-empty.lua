-- sha1hex of the empty string
return redis.sha1hex("")
