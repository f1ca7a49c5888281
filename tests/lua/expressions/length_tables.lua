-- the length of tables with sequences, arrays built in order, and after removals
local t = {}
print(#t)
for i = 1, 10 do t[i] = i end
print(#t)
t[11] = nil
print(#t)
t[10] = nil
print(#t)
print(#{1, 2, 3}, #{n = 1}, #{1, 2, nil}, #{nil}, #{"a", "b", [3] = "c"})
local u = {}
for i = 1, 100 do u[#u + 1] = i * 2 end
print(#u, u[#u])
for i = 100, 51, -1 do u[i] = nil end
print(#u, u[#u])
local v = {1, 2, 3, 4, 5}
v[#v] = nil; v[#v] = nil
print(#v)
local w = {n = 3, [1] = "a", [2] = "b"}
print(#w)
