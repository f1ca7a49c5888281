local a, b = 3, 4
local c = a * a + b * b
local d = 2 ^ 10 - 1       -- folded
local e = 1 / 0            -- never folded
local f = 0 * -1           -- folds to -0
print(c, d, e, f, -a, #"abc", a % b)
