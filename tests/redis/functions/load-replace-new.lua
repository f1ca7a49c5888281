-- FUNCTION LOAD REPLACE of a library that does not exist yet
--! noload
--! cmd: FUNCTION LOAD REPLACE $BODY
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() return 'new' end)
