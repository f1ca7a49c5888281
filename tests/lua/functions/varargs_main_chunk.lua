-- the main chunk is a vararg function receiving the script arguments
print(select("#", ...))
local t = { ... }
print(#t)
print(type(arg), arg[0], #arg)
local f = loadstring("return select('#', ...), ...")
print(f(1, 2, 3))
