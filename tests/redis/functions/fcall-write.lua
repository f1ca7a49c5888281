-- a function writes to the keyspace
--! fcall: setter 1 fk fv
#!lua name=writer
redis.register_function('setter', function(keys, args)
  return redis.call('SET', keys[1], args[1])
end)
