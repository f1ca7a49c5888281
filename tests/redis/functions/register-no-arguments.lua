-- register_function with no arguments
#!lua name=lib
redis.register_function()
