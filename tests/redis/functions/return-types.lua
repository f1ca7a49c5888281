-- conversions of a function's return values
--! fcall: f 0
#!lua name=lib
redis.register_function('f', function()
  return {1, 2.9, 'str', true, false, {ok = 'st'}, {err = 'E x'}, {3, {4}}}
end)
