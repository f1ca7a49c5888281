-- a function name with a dash
#!lua name=lib
redis.register_function('bad-name', function() return 1 end)
