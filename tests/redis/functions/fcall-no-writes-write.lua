-- a no-writes function that tries to write
--! fcall: w 1 k
#!lua name=lib
redis.register_function{function_name='w', callback=function(keys) return redis.call('SET', keys[1], 'x') end, flags={'no-writes'}}
