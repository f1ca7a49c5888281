-- a NaN in the array breaks the ordering exactly as in lua5.1
local t = { 3, 0/0, 1, 2 }
local ok, e = pcall(table.sort, t)
print(ok, e)
local out = {}
for i = 1, 4 do out[i] = tostring(t[i]) end
print(table.concat(out, " "))
