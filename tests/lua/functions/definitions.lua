-- function statements: global, local, field, method and nested field definitions
function gf() return "global" end
local function lf() return "local" end
local t = { a = { b = {} } }
function t.a.b.f() return "field" end
function t.a.b:m() return self == t.a.b end
print(gf(), lf(), t.a.b.f(), t.a.b:m())
local function recur(n) if n > 0 then return recur(n - 1) end return "recur ok" end
print(recur(3))
local anon = function(...) return select("#", ...) end
print(anon(1, 2))
print(type(gf), type(t.a.b.m))
print(loadstring("function a.b:c.d() end"))
print(loadstring("local function a.b() end"))
