-- math.random with three arguments
return math.random(1, 2, 3)
