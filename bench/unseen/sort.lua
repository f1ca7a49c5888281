-- test/sort.lua of Lua 5.1.5, 36000 times (see lib/dist_test.lua).
dofile("lib/dist_test.lua")("sort", 36000)
