-- redis.setresp does not exist while a library loads
#!lua name=lib
redis.setresp(3)
redis.register_function('f', function() return 1 end)
