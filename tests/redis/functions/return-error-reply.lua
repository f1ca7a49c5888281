-- a function that returns an error table (not raised: no suffix)
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() return redis.error_reply('returned') end)
