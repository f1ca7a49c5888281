-- FCALL_RO of a no-writes function that reads
--! setup: SET rk stored
--! fcall_ro: reader 1 rk
#!lua name=ro
redis.register_function{function_name='reader', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}
