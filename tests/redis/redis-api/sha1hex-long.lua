-- sha1hex of a 1 MB string
return redis.sha1hex(string.rep("x", 1048576))
