-- test/sieve.lua of Lua 5.1.5 with N = 1000, 360 times (see
-- lib/dist_test.lua).
dofile("lib/dist_test.lua")("sieve", 360, function() N = 1000 end)
