-- pcall of C functions that fail reports messages without a Lua position
print(pcall(string.rep))
print(pcall(math.floor, "x"))
print(pcall(setmetatable, 1, 2))
print(pcall(tostring))
print(pcall(ipairs))
print(pcall(string.format, "%d", {}))
