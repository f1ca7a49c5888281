-- FUNCTION LIST of one library with one function
--! cmd: FUNCTION LIST
#!lua name=lib
redis.register_function('f', function() return 1 end)
