-- redis.log works while a library loads
--! fcall: f 0
#!lua name=lib
redis.log(redis.LOG_NOTICE, 'library loading')
redis.register_function('f', function() return 'loaded after log' end)
