-- traversal order over numeric keys: array part first, then the hash part
local t = {}
for _, k in ipairs({ 100, 3, 1, 2, 50, -1, 0, 2.5, 1e10, 7 }) do t[k] = true end
local out = {}
for k in pairs(t) do out[#out + 1] = tostring(k) end
print(table.concat(out, " "))
local sparse = {}
for i = 1, 20 do sparse[i * i] = i end
out = {}
for k, v in pairs(sparse) do out[#out + 1] = k .. ":" .. v end
print(table.concat(out, " "))
