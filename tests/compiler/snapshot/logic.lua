local a, b, c = ...
local x = a and b or c
local y = not (a == b)
local z = a < 1 and 2 <= b
if a or not b then x = y end
return x, y, z
