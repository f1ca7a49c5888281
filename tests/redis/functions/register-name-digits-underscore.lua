-- letters, digits and underscores are a valid name
--! fcall: _f_2 0
#!lua name=lib
redis.register_function('_f_2', function() return 'valid' end)
