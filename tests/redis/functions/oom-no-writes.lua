-- with maxmemory exceeded, a no-writes function still runs
--! setup: SET k v
--! cmd: CONFIG SET maxmemory 1
--! fcall: f 1 k
--! cmd: CONFIG SET maxmemory 0
--! teardown: CONFIG SET maxmemory 0
#!lua name=lib
redis.register_function{function_name='f', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}
