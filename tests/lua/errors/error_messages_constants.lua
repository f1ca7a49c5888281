-- operations on constants and temporaries have no variable names
local function try(f) print(select(2, pcall(f))) end
try(function() return ("x")() end)
try(function() return (nil)() end)
try(function() return #(1) end)
try(function() return -{} end)
try(function() return {} .. "" end)
try(function() return ({}).a.b end)
try(function() return ("abc"):nope() end)
try(function() return (1 + 1)() end)
