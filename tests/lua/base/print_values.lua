-- print separates values with tabs and converts each with tostring
print()
print(nil)
print(nil, nil)
print(true, false, 0, -0.5, "s", "")
print(1e100, 2^63, -1/0)
print(("x"):rep(3), 1, nil, 2)
