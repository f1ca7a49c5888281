-- the string library does not exist while a library loads
#!lua name=lib
local fmt = string.format
redis.register_function('f', function() return 1 end)
