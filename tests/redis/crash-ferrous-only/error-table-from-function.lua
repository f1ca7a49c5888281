-- a function raising an error table without err crashes Redis 7.0.15 (FCALL path)
--! expect-error-prefix: ERR
--! fcall: f 0
#!lua name=crashlib
redis.register_function('f', function() error({1, 2, 3}) end)
