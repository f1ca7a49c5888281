-- math.random(m, n) stays in [m, n]
math.randomseed(42)
local t = {}
for i = 1, 12 do t[i] = math.random(5, 10) end
return t
