-- string.dump output can be loaded back; the bytes themselves are not printed
local function add(a, b) return a + b end
local d = string.dump(add)
print(type(d), #d > 0)
local back = loadstring(d)
print(back(2, 3))
local f2 = loadstring(string.dump(function(...) return select("#", ...) end))
print(f2(1, 2, 3))
print(pcall(string.dump, print))
print(pcall(string.dump))
