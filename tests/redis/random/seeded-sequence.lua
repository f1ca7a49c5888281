-- after math.randomseed(1) the draws follow Redis's own generator
math.randomseed(1)
local t = {}
for i = 1, 10 do t[i] = math.random(1000) end
return t
