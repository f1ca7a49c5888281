-- FCALL_RO of a function that does not exist
--! fcall_ro: nosuch 0
#!lua name=lib
redis.register_function('f', function() return 1 end)
