-- math.random(0.5) truncates the bound to 0
return math.random(0.5)
