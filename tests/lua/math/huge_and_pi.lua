-- math.huge and math.pi in arithmetic, comparison and formatting
print(math.huge, -math.huge, math.huge > 1e308, math.huge == math.huge * 2)
print(string.format("%.15f", math.pi), string.format("%g", math.pi), math.pi * 2)
print(math.floor(math.pi * 1e6), math.sin(math.pi) < 1e-15, math.cos(math.pi))
print(math.huge - 1 == math.huge, math.huge / math.huge ~= math.huge / math.huge)
