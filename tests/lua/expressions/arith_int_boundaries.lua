-- doubles hold integers exactly up to 2^53; larger values round
local big = 2^53
print(big, big + 1 == big, big + 2 == big, big - 1 == big)
print(string.format("%.0f %.0f %.0f", big, big + 1, big + 2))
print(2^31, 2^32, -2^31, 2^31 - 1)
print(string.format("%d %d", 2^31, -2^31))
print(math.floor(2^40 + 0.5), math.floor(-2^40 - 0.5))
print(9007199254740993, 123456789012345678901234567890)
print(string.format("%.17g", 0.1), string.format("%.17g", 1/3))
