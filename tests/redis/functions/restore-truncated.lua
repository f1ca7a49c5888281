-- RESTORE of a payload with its checksum cut off
--! cmd: FUNCTION DUMP
--! cmd: FUNCTION FLUSH
--! cmd: FUNCTION RESTORE \xf5\xc3@X@]\x1f#!lua
#!lua name=lib
redis.register_function('f', function() return 1 end)
