-- 50000 distinct string constants parse and run
local t = {}
for i = 1, 50000 do t[i] = '"s' .. i .. '"' end
local f = loadstring("local t = {" .. table.concat(t, ",") .. "} return #t, t[50000]")
return {f()}
