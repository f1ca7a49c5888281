-- the table form with a description, seen in FUNCTION LIST
--! cmd: FUNCTION LIST
#!lua name=lib
redis.register_function{function_name='f', callback=function() return 1 end, description='does things'}
