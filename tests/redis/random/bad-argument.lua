-- math.random("x")
return math.random("x")
