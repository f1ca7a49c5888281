-- FUNCTION LIST WITHCODE includes the library code
--! cmd: FUNCTION LIST WITHCODE
#!lua name=lib
redis.register_function('f', function() return 1 end)
