-- the exact set of names in the math table
local t = {}
for k in pairs(math) do t[#t + 1] = k end
table.sort(t)
return t
