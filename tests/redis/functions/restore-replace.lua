-- RESTORE REPLACE over a newer version of the library
--! cmd: FUNCTION DUMP
--! cmd: FUNCTION LOAD REPLACE #!lua\sname=lib\nredis.register_function('f',\sfunction()\sreturn\s'newer'\send)
--! fcall: f 0
--! cmd: FUNCTION RESTORE $REPLY:2 REPLACE
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() return 'dumped' end)
