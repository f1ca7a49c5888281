-- FUNCTION LOAD of code without the #!lua line
--! noload
--! cmd: FUNCTION LOAD return\s1
#!lua name=unused
redis.register_function('f', function() return 1 end)
