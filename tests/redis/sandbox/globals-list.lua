-- the exact set of global names a script sees
local t = {}
for k in pairs(_G) do t[#t + 1] = k end
table.sort(t)
return t
