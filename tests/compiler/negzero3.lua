local a = -0
local b = 0
local c = -(0)
local d = 3 % -3
print(a, b, c, d)
