-- library upvalues keep their values between FCALLs
--! fcall: count 0
--! fcall: count 0
--! fcall: count 0
#!lua name=lib
local n = 0
redis.register_function('count', function()
  n = n + 1
  return n
end)
