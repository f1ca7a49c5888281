-- sha1hex with no argument
return redis.sha1hex()
