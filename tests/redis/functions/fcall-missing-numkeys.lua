-- FCALL without numkeys, and with no arguments at all
--! cmd: FCALL f
--! cmd: FCALL
#!lua name=lib
redis.register_function('f', function() return 1 end)
