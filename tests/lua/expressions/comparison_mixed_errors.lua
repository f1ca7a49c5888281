-- ordering values of different or non-comparable types raises errors
local function try(f) local ok, e = pcall(f) print(ok, e) end
try(function() return 1 < "2" end)
try(function() return "1" < 2 end)
try(function() return {} < {} end)
try(function() return nil < 1 end)
try(function() return true < false end)
try(function() return 1 <= nil end)
try(function() return print < print end)
try(function() return {} >= 1 end)
try(function() local a, b = {}, {} return a > b end)
try(function() return coroutine.create(try) < coroutine.create(try) end)
