-- bench: hash tables with string and number keys: inserts, lookups, updates, deletes
local keys = {}
for i = 1, 5000 do keys[i] = "key" .. i end
local total = 0
for round = 1, 1050 do
  local t = {}
  for i = 1, #keys do t[keys[i]] = i end
  for i = 1, #keys, 2 do t[keys[i]] = t[keys[i]] + round end
  for i = 1, #keys, 3 do t[keys[i]] = nil end
  for i = 1, #keys do local v = t[keys[i]] if v then total = total + v end end
  local n = {}
  for i = 1, 5000 do n[i * 7919 % 100003] = i end
  for k, v in pairs(n) do total = total + k % 13 end
end
print("total", total)
