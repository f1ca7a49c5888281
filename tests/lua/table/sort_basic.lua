-- table.sort of numbers and strings with the default order and with comparators
local n = { 5, 2, 8, 1, 9, 3, 7, 4, 6, 0 }
table.sort(n)
print(table.concat(n, " "))
table.sort(n, function(a, b) return a > b end)
print(table.concat(n, " "))
local s = { "pear", "apple", "fig", "banana", "cherry" }
table.sort(s)
print(table.concat(s, " "))
table.sort(s, function(a, b) return #a < #b or (#a == #b and a < b) end)
print(table.concat(s, " "))
local one, empty = { 1 }, {}
table.sort(one); table.sort(empty)
print(#one, #empty)
local recs = { { n = "b", v = 2 }, { n = "a", v = 3 }, { n = "c", v = 1 } }
table.sort(recs, function(x, y) return x.v < y.v end)
print(recs[1].n, recs[2].n, recs[3].n)
