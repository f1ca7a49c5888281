-- abs, max and min including negative zero, infinities and argument checks
print(math.abs(-3), math.abs(3), math.abs(-2.5), math.abs(-1/0), math.abs("-7"))
print(math.max(1, 5, 3), math.max(-1), math.max(2, 2.5, "3"), math.max(-1/0, 1/0))
print(math.min(1, 5, 3), math.min(-1), math.min(2, -2.5, "3"), math.min(1/0, 0))
print(pcall(math.max))
print(pcall(math.min))
print(pcall(math.max, 1, "x"))
print(pcall(math.abs, nil))
