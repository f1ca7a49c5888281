-- reseeding with the same value repeats the sequence
math.randomseed(99)
local a = {math.random(50), math.random(50), math.random(50)}
math.randomseed(99)
local b = {math.random(50), math.random(50), math.random(50)}
return {a[1], a[2], a[3], b[1], b[2], b[3]}
