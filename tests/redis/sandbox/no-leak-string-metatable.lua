-- a failed attempt to patch the string metatable leaves it unchanged for the next call
--! calls: 2
local before = ("abc"):upper()
pcall(function() getmetatable("").__index = {upper = function() return "bad" end} end)
return before
