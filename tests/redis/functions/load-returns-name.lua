-- FUNCTION LOAD returns the library name
#!lua name=mylib
redis.register_function('f', function() return 1 end)
