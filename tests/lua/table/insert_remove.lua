-- table.insert and table.remove at the end, at positions, and their return values
local t = {}
table.insert(t, "a"); table.insert(t, "b"); table.insert(t, 1, "first"); table.insert(t, 3, "mid")
print(table.concat(t, ","), #t)
print(table.remove(t), table.concat(t, ","))
print(table.remove(t, 1), table.concat(t, ","))
print(table.remove(t, 2), table.concat(t, ","))
print(table.remove(t), table.remove(t), #t)
print(table.remove({}), select("#", table.remove({})))
local u = { 1, 2, 3 }
table.insert(u, #u + 1, 4)
print(table.concat(u, ","))
print(table.remove(u, #u), table.concat(u, ","))
local v = { 1, 2, 3 }
print(table.remove(v, 10), table.concat(v, ","))
