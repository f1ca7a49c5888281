-- multiple assignment: all right-hand values are evaluated before any assignment
local a, b, c = 1, 2, 3
a, b, c = c, a, b
print(a, b, c)
local x, y = 1
print(x, y)
local p, q = 1, 2, 3, print("extra expression still evaluated")
print(p, q)
local function two() return "r1", "r2" end
local m, n, o = two()
print(m, n, o)
local m2, n2, o2 = two(), "last"
print(m2, n2, o2)
local m3, n3, o3 = "first", two()
print(m3, n3, o3)
local t = {}
local i = 1
i, t[i] = i + 1, "set"
print(i, t[1], t[2])
