-- an unknown flag is a registration error
#!lua name=lib
redis.register_function{function_name='f', callback=function() return 1 end, flags={'no-such-flag'}}
