-- the allow-cross-slot-keys flag
--! fcall: f 2 a b
--! cmd: FUNCTION LIST
#!lua name=lib
redis.register_function{function_name='f', callback=function(keys)
  redis.call('SET', keys[1], '1')
  redis.call('SET', keys[2], '2')
  return 'cross'
end, flags={'allow-cross-slot-keys'}}
