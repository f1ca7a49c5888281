-- Runs test/life.lua of the Lua 5.1.5 distribution (fetched by
-- `cargo xtask bench-unseen`): 2000 generations of a 40x20 board, each
-- drawn to stdout.
local dir = assert(os.getenv("FERROUS_UNSEEN_TESTS"), "run through cargo xtask bench-unseen")
dofile(dir .. "/life.lua")
