-- a 1000-element array
local t = {}
for i = 1, 1000 do t[i] = i * 3 end
return t
