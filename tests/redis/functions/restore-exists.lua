-- RESTORE (default APPEND policy) of a library that already exists
--! cmd: FUNCTION DUMP
--! cmd: FUNCTION RESTORE $REPLY:2
--! cmd: FUNCTION RESTORE $REPLY:2 APPEND
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() return 'original' end)
