-- a function that returns a status table
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() return redis.status_reply('DONE') end)
