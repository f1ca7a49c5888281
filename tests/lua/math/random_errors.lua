-- math.random argument checks
math.randomseed(1)
print(pcall(math.random, 0))
print(pcall(math.random, 2, 1))
print(pcall(math.random, 1, 2, 3))
print(pcall(math.random, "x"))
print(math.random(1, 1), math.random(1), math.random(3, 3))
print(pcall(math.randomseed))
print(pcall(math.randomseed, "y"))
