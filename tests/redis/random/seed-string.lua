-- a numeric string seed is converted
math.randomseed("7")
return {math.random(1000), math.random(1000)}
