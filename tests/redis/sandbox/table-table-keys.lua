-- the exact set of names in the table library
local t = {}
for k in pairs(table) do t[#t + 1] = k end
table.sort(t)
return t
