-- flags= in a library's #!lua line
#!lua name=lib flags=no-writes
redis.register_function('f', function() return 1 end)
