-- a #!lua line without name=
#!lua
redis.register_function('f', function() return 1 end)
