-- getupvalue and setupvalue by index on Lua closures and C functions
local a, b = "A", "B"
local function f() return a .. b end
print(debug.getupvalue(f, 1))
print(debug.getupvalue(f, 2))
print(debug.getupvalue(f, 3))
print(debug.setupvalue(f, 1, "X"), f(), a)
print(debug.setupvalue(f, 5, "Y"))
print(debug.getupvalue(print, 1))
print(debug.getupvalue(string.gmatch("x", "x"), 1))
local function noups() return 1 end
print(debug.getupvalue(noups, 1))
print(pcall(debug.getupvalue, 1, 1))
print(pcall(debug.setupvalue, f, 1))
