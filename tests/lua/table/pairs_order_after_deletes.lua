-- traversal order after deleting and re-adding keys, and clearing fields during traversal
local t = {}
for i = 1, 12 do t["k" .. i] = i end
t.k3 = nil; t.k7 = nil; t.k1 = nil
t.new1 = "a"; t.k3 = "back"
local out = {}
for k, v in pairs(t) do out[#out + 1] = k end
print(table.concat(out, " "))
for k in pairs(t) do if k:sub(1, 1) == "k" then t[k] = nil end end
out = {}
for k, v in pairs(t) do out[#out + 1] = k .. "=" .. tostring(v) end
print(table.concat(out, " "))
