-- the allow-stale flag is accepted and listed
--! fcall: f 0
--! cmd: FUNCTION LIST
#!lua name=lib
redis.register_function{function_name='f', callback=function() return 'stale ok' end, flags={'allow-stale'}}
