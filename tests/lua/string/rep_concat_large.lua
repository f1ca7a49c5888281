-- building large strings by rep, concat and table.concat gives the same result
local a = ("abc"):rep(10000)
local parts = {}
for i = 1, 10000 do parts[i] = "abc" end
local b = table.concat(parts)
local c = ""
for i = 1, 1000 do c = c .. "abc" end
print(#a, a == b, #c, c == a:sub(1, 3000))
print(a:sub(-6), b:find("cab", 29990, true))
