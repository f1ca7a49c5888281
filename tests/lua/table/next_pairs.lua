-- next and pairs: traversal of empty tables, next with keys, invalid keys
print(next({}))
local t = { 10 }
print(next(t))
print(next(t, 1))
print(pcall(next, t, "nokey"))
print(pcall(next))
print(pcall(next, nil))
local f, s, c = pairs(t)
print(f == next, s == t, c)
local i, s2, c2 = ipairs(t)
print(type(i), s2 == t, c2)
print(i(t, 0))
print(i(t, 1))
