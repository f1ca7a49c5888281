-- an empty function name
#!lua name=lib
redis.register_function('', function() return 1 end)
