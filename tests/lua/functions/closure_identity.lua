-- each evaluation of a function expression creates a distinct closure
local fs = {}
for i = 1, 3 do fs[i] = function() end end
print(fs[1] == fs[2], fs[1] == fs[1])
local function mk() return function() end end
print(mk() == mk())
local t = {}
t[mk()] = 1; t[mk()] = 2
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n)
