-- an unknown option in the #!lua line
#!lua name=lib colour=red
redis.register_function('f', function() return 1 end)
