-- error with level 2 blames the caller's line
local function check(x)
  if not x then error("bad x", 2) end
end
check(false)
