-- RESTORE FLUSH drops every other library first
--! cmd: FUNCTION DUMP
--! cmd: FUNCTION LOAD #!lua\sname=other\nredis.register_function('g',\sfunction()\sreturn\s'g'\send)
--! cmd: FUNCTION RESTORE $REPLY:2 FLUSH
--! fcall: f 0
--! fcall: g 0
#!lua name=lib
redis.register_function('f', function() return 'f' end)
