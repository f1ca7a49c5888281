-- a failed attempt to patch a library leaves it intact for the next call
--! calls: 2
local r = string.rep("a", 3)
pcall(function() string.rep = function() return "bad" end end)
return r
