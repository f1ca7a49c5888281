-- more than 200 local variables in one function
local t = {}
for i = 1, 300 do t[i] = "local a" .. i .. " = 1" end
return {select(2, loadstring(table.concat(t, "\n")))}
