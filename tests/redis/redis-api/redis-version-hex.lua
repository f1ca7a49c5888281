-- REDIS_VERSION_NUM is 0x00MMmmpp
return string.format("%06x", redis.REDIS_VERSION_NUM)
