-- table.foreachi visits indices 1..#t in order; foreach on an array visits them too
local t = { "a", "b", "c", "d" }
local seq = {}
table.foreachi(t, function(i, v) seq[#seq + 1] = i .. v end)
print(table.concat(seq, " "))
local n = 0
table.foreach(t, function(k, v) n = n + k end)
print(n)
