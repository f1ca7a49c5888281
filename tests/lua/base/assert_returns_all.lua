-- assert returns all its arguments when the first is true
print(assert(1, 2, 3))
print(assert("x"))
print(select("#", assert(true, nil, nil, nil)))
print(assert(0, "zero is true"))
local ok, e = pcall(assert, nil)
print(ok, e)
