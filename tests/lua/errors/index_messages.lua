-- "attempt to index" messages name locals, globals, fields, upvalues and methods
local function try(f) print(select(2, pcall(f))) end
try(function() local t = nil; return t.x end)
try(function() return undefined_global.x end)
try(function() local t = {} return t.a.b end)
try(function() local t = { a = {} } return t.a.b.c end)
local up = nil
try(function() return up.x end)
try(function() local t = {} return t[1].x end)
try(function() local t = { inner = 5 } return t.inner.x end)
try(function() local s = "str" return s.x.y end)
try(function() return (nil).x end)
try(function() local t = {} t.a.b = 1 end)
try(function() undefined_global.x = 1 end)
try(function() local t = {} local k = "key" return t[k].z end)
try(function() return ({}).x.y end)
