-- an error table raised inside a function
--! fcall: fails 0
#!lua name=lib
redis.register_function('fails', function()
  error({err = 'CODE from function'})
end)
