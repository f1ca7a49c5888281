-- numeric comparisons including floats, infinities and negative zero
print(1 < 2, 2 < 1, 1 <= 1, 1 > 1, 1 >= 1, 1 == 1.0)
print(-0.0 == 0, -0.0 < 0, 0 <= -0.0)
print(1/0 > 1e308, -1/0 < -1e308, 1/0 == 1/0)
print(0.1 + 0.2 == 0.3, 0.5 + 0.25 == 0.75)
print(2^53 == 2^53 + 1, 2^52 == 2^52 + 1)
local a, b = 3, 3.0000000000001
print(a < b, a == b, a ~= b)
