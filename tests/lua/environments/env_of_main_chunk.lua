-- the main chunk's environment can be replaced while it runs
local print, setfenv, getfenv, G = print, setfenv, getfenv, _G
setfenv(1, { answer = 42 })
print(answer, G.answer)
setfenv(1, G)
print(answer)
