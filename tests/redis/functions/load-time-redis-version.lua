-- REDIS_VERSION read while the library loads, returned at run time
--! fcall: f 0
#!lua name=lib
local v = redis.REDIS_VERSION
local n = redis.REDIS_VERSION_NUM
redis.register_function('f', function() return {v, n} end)
