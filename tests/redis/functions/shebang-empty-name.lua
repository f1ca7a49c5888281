-- an empty library name
#!lua name=
redis.register_function('f', function() return 1 end)
