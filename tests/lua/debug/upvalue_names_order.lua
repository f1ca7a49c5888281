-- upvalues are numbered in order of first use inside the function
local a, b, c = 1, 2, 3
local function f() return c + a + b end
for i = 1, 4 do print(i, debug.getupvalue(f, i)) end
local function g() local x = b return a end
for i = 1, 3 do print(i, debug.getupvalue(g, i)) end
