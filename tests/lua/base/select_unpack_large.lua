-- select and unpack with many values
local t = {}
for i = 1, 250 do t[i] = i end
print(select("#", unpack(t)), select(250, unpack(t)), select(-1, unpack(t)))
local function count(...) return select("#", ...) end
print(count(unpack(t)), count(unpack(t, 100)), count(unpack(t, 1, 300)))
local s = 0
for i = 1, select("#", unpack(t)) do s = s + (select(i, unpack(t))) end
print(s)
