-- the table form without a function name
#!lua name=lib
redis.register_function{callback=function() return 1 end}
