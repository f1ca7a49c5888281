-- with maxmemory exceeded, a function without flags is refused
--! cmd: CONFIG SET maxmemory 1
--! fcall: f 1 k
--! cmd: CONFIG SET maxmemory 0
--! teardown: CONFIG SET maxmemory 0
#!lua name=lib
redis.register_function('f', function(keys) return redis.call('SET', keys[1], 'v') end)
