-- os.time rejects date tables with missing or invalid fields
print(pcall(os.time, {}))
print(pcall(os.time, { year = 2000 }))
print(pcall(os.time, { year = 2000, month = 1 }))
print(pcall(os.time, { year = 2000, month = 1, day = "x" }))
print(pcall(os.time, { month = 1, day = 1 }))
print(pcall(os.time, 5))
print(pcall(os.time, "x"))
