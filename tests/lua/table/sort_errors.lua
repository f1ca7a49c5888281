-- table.sort errors: mixed types, invalid comparators, bad arguments
print(pcall(table.sort, { 1, "x", 2 }))
print(pcall(table.sort, { {}, {} }))
print(pcall(table.sort, { 3, 1, 2 }, 5))
print(pcall(table.sort))
print(pcall(table.sort, "abc"))
local t = {}
for i = 1, 50 do t[i] = (i * 37) % 50 end
print(pcall(table.sort, t, function(a, b) return true end))
local u = {}
for i = 1, 50 do u[i] = i % 5 end
print(pcall(table.sort, u, function(a, b) return a <= b end))
