-- a fractional seed is truncated
math.randomseed(1.9)
local a = math.random(1000)
math.randomseed(1)
local b = math.random(1000)
return {a, b}
