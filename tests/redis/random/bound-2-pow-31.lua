-- math.random(2^31) does not fit an int
return math.random(2^31)
