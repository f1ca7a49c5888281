-- C functions report the global environment; setfenv on them is refused
print(getfenv(print) == _G, getfenv(string.format) == _G)
print(pcall(setfenv, print, {}))
local co = coroutine.create(function() return getfenv(0) == _G end)
print(coroutine.resume(co))
print(pcall(setfenv, coroutine.create(function() end), {}))
print(pcall(getfenv, coroutine.create(function() end)))
