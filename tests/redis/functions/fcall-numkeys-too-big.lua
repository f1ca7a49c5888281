-- FCALL with more keys than arguments
--! fcall: f 3 a
#!lua name=lib
redis.register_function('f', function() return 1 end)
