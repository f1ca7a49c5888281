-- FCALL of a function that does not exist
--! fcall: nosuch 0
#!lua name=lib
redis.register_function('f', function() return 1 end)
