-- reloading with REPLACE starts the upvalues afresh
--! fcall: count 0
--! fcall: count 0
--! cmd: FUNCTION LOAD REPLACE $BODY
--! fcall: count 0
#!lua name=lib
local n = 0
redis.register_function('count', function()
  n = n + 1
  return n
end)
