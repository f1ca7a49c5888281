-- Runs test/factorial.lua of the Lua 5.1.5 distribution (fetched by
-- `cargo xtask bench-unseen`) 30000 times; what it writes is counted.
local dir = assert(os.getenv("FERROUS_UNSEEN_TESTS"), "run through cargo xtask bench-unseen")
local chunk = assert(loadfile(dir .. "/factorial.lua"))
local written = 0
local function count(...)
  for i = 1, select("#", ...) do written = written + #tostring((select(i, ...))) end
end
io.write, print = count, count
for _ = 1, 30000 do
  chunk()
end
io.write, print = nil, nil
io.stdout:write("factorial\t", written, "\n")
