-- loading a library that already exists
--! cmd: FUNCTION LOAD $BODY
#!lua name=lib
redis.register_function('f', function() return 1 end)
