-- the power operator with fractional, negative and huge exponents
print(2 ^ 0.5, 4 ^ 0.5, 8 ^ (1/3), 10 ^ -2, (-2) ^ 3, (-2) ^ 2)
print(0 ^ 0, 0 ^ 1, 1 ^ 1e308, 2 ^ 1024, 2 ^ -1080, (-1) ^ 0.5 ~= (-1) ^ 0.5)
print(1e308 ^ 2, (-8) ^ 3, 10 ^ 15, 10 ^ 16)
local x = 3
print(x ^ 2, -x ^ 2, (-x) ^ 2, 2 ^ x ^ 2)
