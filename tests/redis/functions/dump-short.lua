-- FUNCTION DUMP of a very short library
--! cmd: FUNCTION DUMP
#!lua name=a
redis.register_function('b',function()end)
