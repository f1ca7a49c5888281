-- register_function called while the function runs
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function()
  return redis.register_function('g', function() return 2 end)
end)
