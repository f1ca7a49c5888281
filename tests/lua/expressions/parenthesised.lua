-- parentheses truncate multiple values to one and never change evaluation otherwise
local function mr() return 1, 2, 3 end
print(mr())
print((mr()))
local a, b = (mr())
print(a, b)
print(({mr()})[3], ({(mr())})[3])
local t = { (mr()) }
print(#t)
print(select("#", (mr())), select("#", mr()))
print(((("nested"))))
