-- the no-cluster flag is accepted and has no effect outside a cluster
--! fcall: f 0
--! cmd: FUNCTION LIST
#!lua name=lib
redis.register_function{function_name='f', callback=function() return 'no cluster' end, flags={'no-cluster'}}
