-- FUNCTION FLUSH ASYNC, SYNC and a bad mode
--! cmd: FUNCTION FLUSH ASYNC
--! cmd: FUNCTION LIST
--! cmd: FUNCTION LOAD $BODY
--! cmd: FUNCTION FLUSH SYNC
--! cmd: FUNCTION LIST
--! cmd: FUNCTION FLUSH LATER
#!lua name=lib
redis.register_function('f', function() return 1 end)
