-- math.randomseed(0)
math.randomseed(0)
return {math.random(100), math.random(100), math.random(100)}
