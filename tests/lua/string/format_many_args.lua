-- string.format with many arguments and mixed conversions, argument numbering in errors
local parts, args = {}, {}
for i = 1, 40 do parts[#parts + 1] = "%d"; args[#args + 1] = i end
print(string.format(table.concat(parts, ","), unpack(args)))
print(pcall(string.format, "%d %d %s %d", 1, 2, "x", "y"))
print(pcall(string.format, "%d %d %d", 1, 2))
print(string.format("%s=%d (%5.1f%%)", "ratio", 3, 42.25))
