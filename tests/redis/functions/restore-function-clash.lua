-- RESTORE APPEND of a library whose function name is taken by another library
--! cmd: FUNCTION DUMP
--! cmd: FUNCTION FLUSH
--! cmd: FUNCTION LOAD #!lua\sname=other\nredis.register_function('f',\sfunction()\sreturn\s'other'\send)
--! cmd: FUNCTION RESTORE $REPLY:2
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() return 'lib' end)
