-- register_function with three arguments
#!lua name=lib
redis.register_function('f', function() return 1 end, 'extra')
