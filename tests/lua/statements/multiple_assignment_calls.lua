-- multiple assignment with function calls on both sides and in table constructors
local function two() return 1, 2 end
local function none() end
local a, b, c = two(), two()
print(a, b, c)
local d, e = none(), 5
print(d, e)
local t = {}
t.x, t.y, t.z = two()
print(t.x, t.y, t.z)
local p, q = (two())
print(p, q)
a, b = b, a
print(a, b)
