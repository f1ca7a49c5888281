-- a function name already used by another library
--! cmd: FUNCTION LOAD #!lua\sname=other\nredis.register_function('f',\sfunction()\sreturn\s2\send)
#!lua name=lib
redis.register_function('f', function() return 1 end)
