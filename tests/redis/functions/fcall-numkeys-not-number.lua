-- FCALL with a numkeys that is not a number
--! fcall: f abc
#!lua name=lib
redis.register_function('f', function() return 1 end)
