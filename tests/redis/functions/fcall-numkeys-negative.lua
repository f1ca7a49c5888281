-- FCALL with a negative numkeys
--! fcall: f -1
#!lua name=lib
redis.register_function('f', function() return 1 end)
