-- math.random after randomseed reproduces the C library's rand() sequence
math.randomseed(42)
local r = {}
for i = 1, 5 do r[#r + 1] = string.format("%.10f", math.random()) end
print(table.concat(r, " "))
r = {}
for i = 1, 10 do r[#r + 1] = math.random(100) end
print(table.concat(r, " "))
r = {}
for i = 1, 10 do r[#r + 1] = math.random(-5, 5) end
print(table.concat(r, " "))
math.randomseed(42)
print(string.format("%.10f", math.random()))
math.randomseed(0)
print(math.random(1000), math.random(1000))
math.randomseed(12345.9)
print(math.random(1000000))
