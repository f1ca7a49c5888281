-- sorting mixed integers, floats, negatives and infinities
local z = 0
local t = { 3, -1.5, 1/0, 0, -1/0, 2.25, -7, 1e-10, 1e10, -z, 5 }
table.sort(t)
local out = {}
for i, v in ipairs(t) do out[i] = tostring(v) end
print(table.concat(out, " "))
table.sort(t, function(a, b) return a > b end)
out = {}
for i, v in ipairs(t) do out[i] = tostring(v) end
print(table.concat(out, " "))
