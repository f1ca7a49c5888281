-- a RESP3 client calling a function that does not use setresp
--! resp: 3
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function() return {true, false, {map = {a = 1}}} end)
