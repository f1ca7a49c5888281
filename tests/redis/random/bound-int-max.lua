-- math.random(2^31 - 1) is the largest bound
math.randomseed(5)
return {math.random(2^31 - 1), math.random(2^31 - 1)}
