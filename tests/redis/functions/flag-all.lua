-- every flag at once, in the order FUNCTION LIST prints them
--! cmd: FUNCTION LIST
#!lua name=lib
redis.register_function{function_name='f', callback=function() return 1 end, flags={'allow-cross-slot-keys', 'no-cluster', 'allow-stale', 'allow-oom', 'no-writes'}}
