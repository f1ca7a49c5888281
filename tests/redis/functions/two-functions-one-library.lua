-- two functions of one library share a local helper
--! fcall: double 0 21
--! fcall: triple 0 5
#!lua name=math2
local function mul(a, b) return tonumber(a) * b end
redis.register_function('double', function(_, args) return mul(args[1], 2) end)
redis.register_function('triple', function(_, args) return mul(args[1], 3) end)
