-- argument errors of table.insert and table.remove
print(pcall(table.insert))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, {}))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}, "x", 1))
print(pcall(table.remove))
print(pcall(table.remove, "str"))
print(pcall(table.remove, {}, "x"))
local t = { 1, 2 }
print(pcall(table.insert, t, 5, "far"), t[5], #t)
print(pcall(table.insert, t, -1, "neg"), t[-1])
