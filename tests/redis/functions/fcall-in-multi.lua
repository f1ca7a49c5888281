-- FCALL queued inside MULTI/EXEC
--! cmd: MULTI
--! fcall: inc 1 counter
--! fcall: inc 1 counter
--! cmd: EXEC
#!lua name=lib
redis.register_function('inc', function(keys) return redis.call('INCR', keys[1]) end)
