-- FUNCTION STATS answered to a RESP3 client
--! resp: 3
--! cmd: FUNCTION STATS
#!lua name=lib
redis.register_function('f', function() return 1 end)
