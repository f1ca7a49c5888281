-- concatenation of strings and numbers, right associativity, number formatting
print("a" .. "b" .. "c", 1 .. 2, 1 .. "", 1.5 .. "|")
print(2^53 .. "", 1e100 .. "", 0.1 .. "", (1/3) .. "")
print("x" .. 10 / 2, "y" .. 2^2, 1 .. 2 .. 3)
local s = ""
for i = 1, 10 do s = s .. i end
print(s, #s)
print(("a"):rep(3) .. ("b"):rep(2))
print("" .. "", #("" .. ""))
print(pcall(function() return "a" .. nil end))
print(pcall(function() return "a" .. {} end))
print(pcall(function() return true .. "a" end))
