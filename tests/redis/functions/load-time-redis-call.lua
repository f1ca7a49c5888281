-- redis.call is not available while the library loads
#!lua name=lib
redis.call('SET', 'k', 'v')
redis.register_function('f', function() return 1 end)
