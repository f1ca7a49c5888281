-- FUNCTION LIST LIBRARYNAME filters by a pattern
--! cmd: FUNCTION LIST LIBRARYNAME li*
--! cmd: FUNCTION LIST LIBRARYNAME other*
--! cmd: FUNCTION LIST LIBRARYNAME lib WITHCODE
#!lua name=lib
redis.register_function('f', function() return 1 end)
