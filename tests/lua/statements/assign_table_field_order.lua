-- in a multiple assignment the right side is evaluated before any target is assigned
local a = { 1, 2, 3 }
local i = 1
i, a[i] = i + 1, "x"
print(i, a[1], a[2])
local t = {}
t.x, t.y = 1, t.x
print(t.x, t.y)
local b, c = 1, 2
b, c = c, b
print(b, c)
