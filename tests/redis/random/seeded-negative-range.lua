-- a negative range
math.randomseed(3)
local t = {}
for i = 1, 8 do t[i] = math.random(-10, -5) end
return t
