-- the name and namewhat fields for globals, locals, methods, fields and upvalues
local function who() local i = debug.getinfo(2, "n") return tostring(i.name) .. "/" .. i.namewhat end
local function show() return who() end
function global_fn() local r = who2() return r end
function who2() local i = debug.getinfo(1, "n") return tostring(i.name) .. "/" .. i.namewhat end
local t = { field = function() local i = debug.getinfo(1, "n") return tostring(i.name) .. "/" .. i.namewhat end }
function t:meth() local i = debug.getinfo(1, "n") return tostring(i.name) .. "/" .. i.namewhat end
local function loc() local i = debug.getinfo(1, "n") return tostring(i.name) .. "/" .. i.namewhat end
local up = loc
local function viaup() local r = up() return r end
print(global_fn(), t.field(), t:meth(), loc(), viaup())
print((function() local i = debug.getinfo(1, "n") return tostring(i.name) .. "/" .. i.namewhat end)())
local co = coroutine.wrap(function() local i = debug.getinfo(1, "n") return tostring(i.name) .. "/" .. i.namewhat end)
print(co())
