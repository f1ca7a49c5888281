-- "attempt to call" messages name globals, locals, fields, methods and upvalues
local function try(f) print(select(2, pcall(f))) end
try(function() undefined_function() end)
try(function() local f = nil; f() end)
try(function() local t = {} t.method() end)
try(function() local t = {} t:method() end)
try(function() local t = { f = 5 } t.f() end)
local up = "string"
try(function() up() end)
try(function() local t = {} t[1]() end)
try(function() local f = function() end f()() end)
try(function() string.nosuch() end)
try(function() local obj = { inner = {} } obj.inner:go() end)
try(function() return (1)() end)
try(function() local a = true; a(1, 2) end)
