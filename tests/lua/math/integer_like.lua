-- results that are whole numbers print without a fraction
print(math.floor(3.7) .. "", math.sqrt(49), math.pow(10, 3), math.abs(-0.0 + 5), 10 / 2)
print(math.max(1.0, 2.0), math.huge / math.huge ~= math.huge / math.huge)
