-- a no-writes function that tries to write with redis.pcall
--! fcall: w 1 k
#!lua name=lib
redis.register_function{function_name='w', callback=function(keys)
  local r = redis.pcall('SET', keys[1], 'x')
  return {r.err, redis.call('EXISTS', keys[1])}
end, flags={'no-writes'}}
