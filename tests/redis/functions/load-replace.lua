-- FUNCTION LOAD REPLACE replaces the library
--! cmd: FUNCTION LOAD REPLACE #!lua\sname=lib\nredis.register_function('f',\sfunction()\sreturn\s'second'\send)
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() return 'first' end)
