-- Shared by the drivers of the Lua 5.1.5 distribution's test programs
-- (fetched by `cargo xtask bench-unseen`): returns run(name, times,
-- setup) that runs test/<name>.lua `times` times, calling `setup` before
-- each run, counts the bytes it writes instead of printing them, and
-- prints the name and that count.
return function(name, times, setup)
  local dir = assert(os.getenv("FERROUS_UNSEEN_TESTS"), "run through cargo xtask bench-unseen")
  local chunk = assert(loadfile(dir .. "/" .. name .. ".lua"))
  local written = 0
  local function count(...)
    for i = 1, select("#", ...) do written = written + #tostring((select(i, ...))) end
  end
  io.write, print = count, count
  for _ = 1, times do
    if setup then setup() end
    chunk()
  end
  io.write, print = nil, nil
  io.stdout:write(name, "\t", written, "\n")
end
