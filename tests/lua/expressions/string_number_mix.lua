-- mixed string and number operands in arithmetic, concat and comparison
local s, n = "10", 5
print(s + n, n + s, s .. n, n .. s, s * s)
print(s == "10", n == 5, tostring(n) == "5", s + 0 == 10)
print(("3.0" + 0) == 3, "3.0" == "3", ("0x10" * 1))
print(pcall(function() return s < n end))
print(math.max("7", 3), math.floor("2.5"))
