-- error() inside a function: position and the function name in the suffix
--! fcall: fails 0
#!lua name=lib
redis.register_function('fails', function()
  error('function failed')
end)
