-- table.sort with an inconsistent comparator
local t = {}
for i = 1, 100 do t[i] = (i * 7919) % 101 end
return {pcall(table.sort, t, function(a, b) return true end)}
