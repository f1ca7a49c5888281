-- debug.getfenv and debug.setfenv on functions and userdata
local u = newproxy()
print(type(debug.getfenv(u)))
local env = { tag = "ud env" }
print(debug.setfenv(u, env) == u, debug.getfenv(u).tag)
local function f() return tag end
debug.setfenv(f, env)
print(f())
print(pcall(debug.setfenv, 1, {}))
print(pcall(debug.setfenv, f, 1))
print(debug.getfenv(1))
