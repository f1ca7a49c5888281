-- a callback that is not a function
#!lua name=lib
redis.register_function('f', 'not a function')
