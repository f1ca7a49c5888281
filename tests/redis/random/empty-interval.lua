-- math.random(0) is an empty interval
return math.random(0)
