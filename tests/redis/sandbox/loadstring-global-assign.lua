-- a loaded chunk cannot assign globals either
local f = loadstring("newvar = 5")
f()
