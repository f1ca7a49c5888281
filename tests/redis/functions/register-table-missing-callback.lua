-- the table form without a callback
#!lua name=lib
redis.register_function{function_name='f'}
