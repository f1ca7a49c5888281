-- an error in a local helper of the library
--! fcall: f 0
#!lua name=lib
local function helper()
  error('from helper')
end
redis.register_function('f', function() return helper() end)
