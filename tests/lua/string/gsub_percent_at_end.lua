-- a lone '%' at the end of a gsub replacement string copies a NUL byte in 5.1
local r, n = ("a"):gsub("a", "%")
print(#r, r:byte(1, -1), n)
local r2 = ("ab"):gsub("b", "x%")
print(#r2, r2:byte(1, -1))
