-- FUNCTION DELETE takes a library name, not a function name
--! cmd: FUNCTION DELETE f
#!lua name=lib
redis.register_function('f', function() return 1 end)
