-- RESTORE APPEND next to another library
--! cmd: FUNCTION DUMP
--! cmd: FUNCTION FLUSH
--! cmd: FUNCTION LOAD #!lua\sname=other\nredis.register_function('g',\sfunction()\sreturn\s'g'\send)
--! cmd: FUNCTION RESTORE $REPLY:2 APPEND
--! fcall: f 0
--! fcall: g 0
--! cmd: FUNCTION STATS
#!lua name=lib
redis.register_function('f', function() return 'f' end)
