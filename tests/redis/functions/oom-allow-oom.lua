-- with maxmemory exceeded, an allow-oom function may write
--! cmd: CONFIG SET maxmemory 1
--! fcall: f 1 k
--! cmd: CONFIG SET maxmemory 0
--! teardown: CONFIG SET maxmemory 0
#!lua name=lib
redis.register_function{function_name='f', callback=function(keys) return redis.call('SET', keys[1], 'v') end, flags={'allow-oom'}}
