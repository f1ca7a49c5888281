-- catching and re-raising errors keeps or adds positions as requested
local function inner() error("original") end
local ok, e = pcall(inner)
print(e)
local ok2, e2 = pcall(function() error(e, 0) end)
print(e2)
local ok3, e3 = pcall(function() error(e) end)
print(e3)
local ok4, e4 = pcall(function() local ok, err = pcall(error, { level = 1 }) error(err) end)
print(type(e4), e4.level)
