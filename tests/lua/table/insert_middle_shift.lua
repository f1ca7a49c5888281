-- inserting and removing in the middle shifts the following elements
local t = { "a", "b", "c", "d" }
table.insert(t, 2, "X")
print(table.concat(t, ","))
table.insert(t, 1, "Y")
print(table.concat(t, ","))
print(table.remove(t, 3), table.concat(t, ","))
print(table.remove(t, 1), table.concat(t, ","))
for i = 1, 3 do table.insert(t, #t, i) end
print(table.concat(t, ","))
