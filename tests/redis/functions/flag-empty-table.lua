-- an empty flags table
--! fcall: f 0
#!lua name=lib
redis.register_function{function_name='f', callback=function() return 'no flags' end, flags={}}
