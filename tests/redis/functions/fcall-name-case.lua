-- function names are case-insensitive in FCALL
--! fcall: MyFunc 0
--! fcall: myfunc 0
#!lua name=lib
redis.register_function('MyFunc', function() return 'exact' end)
