-- comparison errors report both operand types
local function try(f) print(select(2, pcall(f))) end
try(function() return {} < {} end)
try(function() return 1 < nil end)
try(function() return nil < 1 end)
try(function() return "a" < 1 end)
try(function() return 1 <= "a" end)
try(function() return {} > 1 end)
try(function() return true >= true end)
try(function() return print < print end)
try(function() local a, b = {}, "s" return a < b end)
try(function() return newproxy() < newproxy() end)
try(function() return coroutine.create(try) <= 1 end)
