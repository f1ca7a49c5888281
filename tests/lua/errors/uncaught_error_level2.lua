-- uncaught: error with level 2 blames the caller's line
local function check(v) if type(v) ~= "number" then error("expected number", 2) end end
check(1)
check("x")
