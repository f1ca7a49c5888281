-- string.rep with zero, negative and fractional counts
print(("ab"):rep(3), ("ab"):rep(1), ("ab"):rep(0), ("ab"):rep(-1))
print(#("x"):rep(1000), ("x"):rep(2.9), ("-"):rep("3"))
print((""):rep(100) == "", #("\0"):rep(5))
print(pcall(string.rep, "x"))
print(pcall(string.rep, nil, 2))
print(pcall(string.rep, "x", "y"))
