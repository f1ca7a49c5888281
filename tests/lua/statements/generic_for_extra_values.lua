-- the explist of a generic for is adjusted to three values
local function three() return function(s, c) if c < 2 then return c + 1 end end, "state", 0, "extra" end
for i in three() do io.write(i, " ") end
print()
local function two() return function(s, c) c = (c or 0) + 1 if c <= 2 then return c, s end end, "S" end
for i, s in two() do io.write(i, s, " ") end
print()
