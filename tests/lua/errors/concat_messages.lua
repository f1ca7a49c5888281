-- concatenation errors name the operand that is not a string or number
local function try(f) print(select(2, pcall(f))) end
try(function() local s; return "a" .. s end)
try(function() local s; return s .. "a" end)
try(function() return "x" .. undefined_y end)
try(function() local t = {} return "x" .. t.name end)
try(function() local t = {} return t .. "x" end)
try(function() local b = false return "a" .. b .. "c" end)
local up = {}
try(function() return "a" .. up end)
try(function() return "a" .. "b" .. nil end)
try(function() local a, b, c = "a", {}, "c" return a .. b .. c end)
try(function() local a, b, c = "a", "b", {} return a .. b .. c end)
