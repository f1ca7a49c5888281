-- FUNCTION LIST answered to a RESP3 client
--! resp: 3
--! cmd: FUNCTION LIST
#!lua name=lib
redis.register_function{function_name='f', callback=function() return 1 end, flags={'no-writes'}, description='d'}
