-- test/fibfor.lua of Lua 5.1.5, 300000 times (see lib/dist_test.lua).
dofile("lib/dist_test.lua")("fibfor", 300000)
