-- sha1hex with two arguments
return redis.sha1hex("a", "b")
