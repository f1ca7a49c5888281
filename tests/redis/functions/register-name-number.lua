-- a function name that is a number
#!lua name=lib
redis.register_function(5, function() return 1 end)
