-- a redis.call error inside a function
--! setup: SET s text
--! fcall: fails 1 s
#!lua name=lib
redis.register_function('fails', function(keys)
  return redis.call('INCR', keys[1])
end)
