-- sha1hex of a table
return redis.sha1hex({})
