-- a function receives its keys and arguments as tables
--! fcall: show 2 k1 k2 a1 a2 a3
--! fcall: show 0
--! fcall: show 1 onlykey
#!lua name=showlib
redis.register_function('show', function(keys, args)
  return {#keys, #args, keys, args}
end)
