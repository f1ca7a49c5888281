-- the six binary arithmetic operators and unary minus on numbers
print("add", 1 + 2, 1.5 + 2.25, -3 + 3, 1e308 + 1e308)
print("sub", 5 - 7, 0.5 - 0.25, 1 - -1)
print("mul", 6 * 7, -2 * 0.5, 1e200 * 1e200)
print("div", 7 / 2, 1 / 3, -9 / 3, 2 / 0, -2 / 0)
print("mod", 7 % 3, -7 % 3, 7 % -3, -7 % -3, 5.5 % 2, -5.5 % 2)
print("pow", 2 ^ 10, 2 ^ 0.5, 2 ^ -1, (-8) ^ (1/3) ~= (-8) ^ (1/3), 0 ^ 0)
print("unm", -5, - -5, -(2 ^ 2), -(1/0))
local a, b = 17, 5
print("vars", a + b, a - b, a * b, a / b, a % b, a ^ 2)
