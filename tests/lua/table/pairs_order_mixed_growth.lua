-- traversal order while a table grows through rehashes, with string and integer keys
local t = {}
local out = {}
for i = 1, 40 do
  if i % 3 == 0 then t["s" .. i] = i else t[i * 2] = i end
end
for k, v in pairs(t) do out[#out + 1] = tostring(k) end
print(table.concat(out, " "))
local words = {}
for w in ("the quick brown fox jumps over the lazy dog again and again"):gmatch("%a+") do
  words[w] = (words[w] or 0) + 1
end
out = {}
for w, n in pairs(words) do out[#out + 1] = w .. n end
print(table.concat(out, " "))
