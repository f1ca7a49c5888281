-- FCALL_RO of a no-writes function that tries to write
--! fcall_ro: w 1 k
#!lua name=lib
redis.register_function{function_name='w', callback=function(keys) return redis.call('DEL', keys[1]) end, flags={'no-writes'}}
