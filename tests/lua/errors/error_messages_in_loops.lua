-- variable names in messages for loop control variables and for-in variables
local function try(f) print(select(2, pcall(f))) end
try(function() for i = 1, 2 do local x = i .. nil end end)
try(function() for k, v in pairs({ a = 1 }) do return v.field end end)
try(function() for i, v in ipairs({ {} }) do return v + 1 end end)
try(function() for i = 1, 1 do return i() end end)
