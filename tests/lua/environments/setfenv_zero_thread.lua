-- setfenv(0, t) changes the environment of the running thread; new chunks inherit it
local saved = getfenv(0)
local env = setmetatable({ marker = "thread env" }, { __index = _G })
setfenv(0, env)
local f = loadstring("return marker")
print(f())
setfenv(0, saved)
print(loadstring("return marker")())
print(getfenv(0) == _G)
