-- math.random() with no argument gives a float in [0, 1)
math.randomseed(1)
local t = {}
for i = 1, 5 do t[i] = string.format("%.17g", math.random()) end
return t
