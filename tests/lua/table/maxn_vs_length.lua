-- maxn finds the largest positive numeric key even with holes; # needs a border
local t = { 1, 2, 3 }
t[10] = 10
print(table.maxn(t), t[10])
t[10] = nil
print(table.maxn(t), #t)
local u = {}
u[2.5] = true; u[7] = true
print(table.maxn(u))
