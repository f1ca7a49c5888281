-- a library name with a dash
#!lua name=bad-name
redis.register_function('f', function() return 1 end)
