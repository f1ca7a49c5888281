-- swapping table fields and globals through multiple assignment
local t = { 1, 2, 3, x = "x", y = "y" }
t[1], t[3] = t[3], t[1]
t.x, t.y = t.y, t.x
print(t[1], t[2], t[3], t.x, t.y)
g1, g2 = "a", "b"
g1, g2 = g2, g1
print(g1, g2)
local u = { v = { w = 1 } }
u.v.w, u.v = 2, { w = 10 }
print(u.v.w)
