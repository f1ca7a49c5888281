-- FCALL_RO of a function without the no-writes flag
--! fcall_ro: f 0
#!lua name=lib
redis.register_function('f', function() return 1 end)
