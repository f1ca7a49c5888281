-- a function with more than 60 upvalues
local t = {}
for i = 1, 70 do t[i] = "local v" .. i .. " = " .. i end
t[#t + 1] = "return function() return "
for i = 1, 70 do t[#t + 1] = "v" .. i .. (i < 70 and " + " or "") end
t[#t + 1] = " end"
return {select(2, loadstring(table.concat(t, "\n")))}
