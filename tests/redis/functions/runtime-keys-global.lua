-- KEYS is not a global inside a function
--! fcall: f 1 k
#!lua name=lib
redis.register_function('f', function() return KEYS end)
