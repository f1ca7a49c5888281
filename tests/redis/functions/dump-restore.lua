-- FUNCTION DUMP, FLUSH and LIST
--! cmd: FUNCTION DUMP
--! cmd: FUNCTION FLUSH
--! cmd: FUNCTION LIST
#!lua name=lib
redis.register_function('f', function() return 'restored' end)
