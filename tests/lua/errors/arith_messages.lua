-- arithmetic errors name the offending operand
local function try(f) print(select(2, pcall(f))) end
try(function() local a; return a + 1 end)
try(function() local a; return 1 + a end)
try(function() return undefined_x * 2 end)
try(function() local t = {} return t.count + 1 end)
local up = {}
try(function() return up - 1 end)
try(function() local s = "abc" return s * 2 end)
try(function() return "abc" + 1 end)
try(function() local t = {} return -t end)
try(function() local b = true return b % 2 end)
try(function() local t = {} return t[1] ^ 2 end)
try(function() local t = { x = {} } return t.x / 2 end)
try(function() local f = print return 2 - f end)
try(function() local a, b = 1, nil return a + b end)
try(function() local a, b = nil, 1 return a + b end)
