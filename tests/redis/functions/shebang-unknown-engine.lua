-- an engine other than lua
--! noload
--! cmd: FUNCTION LOAD #!js\sname=lib\nx
#!lua name=unused
redis.register_function('f', function() return 1 end)
