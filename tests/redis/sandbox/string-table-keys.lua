-- the exact set of names in the string table
local t = {}
for k in pairs(string) do t[#t + 1] = k end
table.sort(t)
return t
