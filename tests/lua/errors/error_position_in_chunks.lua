-- positions in error messages use the chunk name of the code that raised them
local f = loadstring("local x = nil\nreturn x.y", "=mychunk")
print(pcall(f))
local g = loadstring("error('from string chunk')")
print(pcall(g))
local h = loadstring("error('named', 1)", "@fake/file.lua")
print(pcall(h))
local k = loadstring("\n\n  error('third line')")
print(pcall(k))
