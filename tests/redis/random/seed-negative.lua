-- math.randomseed(-1)
math.randomseed(-1)
return {math.random(100), math.random(100), math.random(100)}
