-- a function with more than 262143 constants
local t = {}
for i = 1, 300000 do t[i] = i end
return {select(2, loadstring("return {" .. table.concat(t, ",") .. "}"))}
