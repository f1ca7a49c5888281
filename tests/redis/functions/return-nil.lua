-- a function that returns nothing
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() end)
