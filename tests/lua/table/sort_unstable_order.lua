-- table.sort follows 5.1's quicksort, so equal keys end up in the same order as in lua5.1
local recs = {}
for i = 1, 30 do recs[i] = { key = i % 4, id = i } end
table.sort(recs, function(a, b) return a.key < b.key end)
local out = {}
for i, r in ipairs(recs) do out[i] = r.key .. ":" .. r.id end
print(table.concat(out, " "))
local words = { "bb", "a", "cc", "b", "aa", "c", "ab", "ba", "ca", "ac" }
table.sort(words, function(x, y) return #x < #y end)
print(table.concat(words, " "))
local calls = 0
local t = {}
for i = 1, 100 do t[i] = (i * 7919) % 101 end
table.sort(t, function(a, b) calls = calls + 1 return a < b end)
print(t[1], t[50], t[100], calls)
