-- math.random(5, 1) is an empty interval
return math.random(5, 1)
