-- RESTORE of a payload produced by FUNCTION DUMP, after FUNCTION FLUSH
--! cmd: FUNCTION DUMP
--! cmd: FUNCTION FLUSH
--! cmd: FUNCTION RESTORE $REPLY:2
--! fcall: f 0
--! cmd: FUNCTION LIST WITHCODE
#!lua name=lib
redis.register_function('f', function() return 'restored' end)
