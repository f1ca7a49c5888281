-- the exact set of names in the coroutine library
local t = {}
for k in pairs(coroutine) do t[#t + 1] = k end
table.sort(t)
return t
