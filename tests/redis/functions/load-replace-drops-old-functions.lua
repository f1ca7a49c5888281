-- after REPLACE, functions of the old version are gone
--! cmd: FUNCTION LOAD REPLACE #!lua\sname=lib\nredis.register_function('g',\sfunction()\sreturn\s'g'\send)
--! fcall: f 0
--! fcall: g 0
#!lua name=lib
redis.register_function('f', function() return 'f' end)
