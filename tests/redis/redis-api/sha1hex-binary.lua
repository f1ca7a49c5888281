-- sha1hex of binary data
return redis.sha1hex("\0\1\2\255\r\n")
