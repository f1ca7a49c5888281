-- insert at the front repeatedly, then concat ranges
local t = {}
for i = 1, 10 do table.insert(t, 1, i) end
print(table.concat(t, " "))
print(table.concat(t, "", 3, 5), table.concat(t, "+", 10), table.concat(t, "+", 11))
