-- SCRIPT FLUSH does not remove functions
--! cmd: SCRIPT FLUSH
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() return 'survived' end)
