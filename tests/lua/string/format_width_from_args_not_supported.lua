-- '*' widths are not supported by string.format in 5.1
print(pcall(string.format, "%*d", 5, 1))
print(pcall(string.format, "%.*f", 2, 1.5))
print(pcall(string.format, "%-*s", 3, "x"))
