-- EVAL scripts do not see library functions as globals
--! cmd: EVAL return\stype(rawget(_G,'f')) 0
#!lua name=lib
redis.register_function('f', function() return 1 end)
