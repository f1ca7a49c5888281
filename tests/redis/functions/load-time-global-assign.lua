-- assigning a global while the library loads
#!lua name=lib
myglobal = 1
redis.register_function('f', function() return 1 end)
