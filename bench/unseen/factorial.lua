-- test/factorial.lua of Lua 5.1.5, 30000 times (see lib/dist_test.lua).
dofile("lib/dist_test.lua")("factorial", 30000)
