-- setfenv on a function changes where its globals live
local function reader() return x, y end
local env = { x = "env x" }
x = "global x"
print(reader())
print(setfenv(reader, env) == reader)
print(reader())
env.y = "env y"
print(reader())
local function writer() newglobal = 1 end
local wenv = {}
setfenv(writer, wenv)
writer()
print(newglobal, wenv.newglobal)
print(pcall(setfenv, reader, 1))
print(pcall(setfenv, reader))
print(pcall(setfenv, print, {}))
print(pcall(setfenv, 1, nil))
