-- the exact set of names in the redis table
local t = {}
for k in pairs(redis) do t[#t + 1] = k end
table.sort(t)
return t
