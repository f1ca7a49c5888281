-- FUNCTION DELETE removes the library and its functions
--! cmd: FUNCTION DELETE lib
--! fcall: f 0
--! cmd: FUNCTION LIST
#!lua name=lib
redis.register_function('f', function() return 1 end)
