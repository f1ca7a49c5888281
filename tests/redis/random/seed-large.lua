-- a seed above 2^32 is cut to an int
math.randomseed(2^40 + 5)
return {math.random(100), math.random(100), math.random(100)}
