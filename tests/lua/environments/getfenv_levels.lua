-- getfenv with levels 0, 1, 2 and with functions; the default environment is _G
print(getfenv() == _G, getfenv(1) == _G, getfenv(0) == _G)
local function f() return getfenv(1), getfenv(2) end
local a, b = f()
print(a == _G, b == _G)
print(getfenv(f) == _G, getfenv(print) == _G)
local env = { marker = "custom", getfenv = getfenv }
local function g() return getfenv(1).marker, getfenv(2) == _G end
setfenv(g, env)
print(pcall(g))
print(getfenv(g).marker)
print(pcall(getfenv, 100))
print(pcall(getfenv, -1))
print(pcall(getfenv, "x"))
