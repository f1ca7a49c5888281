-- the length operator on values without a length
local function try(f) print(select(2, pcall(f))) end
try(function() local n = 1 return #n end)
try(function() return #undefined_z end)
try(function() local t = {} return #t.field end)
try(function() local f = print return #f end)
local up = true
try(function() return #up end)
