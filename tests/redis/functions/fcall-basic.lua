-- FCALL of a registered function
--! fcall: hello 0
#!lua name=greet
redis.register_function('hello', function(keys, args) return 'hello world' end)
