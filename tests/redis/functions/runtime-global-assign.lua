-- assigning a global inside a function
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() x = 1 end)
