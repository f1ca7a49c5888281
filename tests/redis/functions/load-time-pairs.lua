-- which base functions exist while the library loads: pairs
#!lua name=lib
for k in pairs({}) do end
redis.register_function('f', function() return 1 end)
