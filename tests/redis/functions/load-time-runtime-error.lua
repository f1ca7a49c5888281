-- a runtime error while the library loads
#!lua name=lib
local x = nil
local y = x.field
redis.register_function('f', function() return 1 end)
