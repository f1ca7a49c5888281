-- string.format rejects unknown conversions, overlong widths and repeated flags
for _, f in ipairs({ "%y", "%a", "%b", "%k", "%", "%5", "%-", "%.3", "%l", "%h", "%n", "%p", "%S" }) do
  print(f, pcall(string.format, f, 1))
end
print(pcall(string.format, "%123d", 1))
print(pcall(string.format, "%1.123f", 1))
print(pcall(string.format, "%99d", 1) and "ok 99")
print(pcall(string.format, "%.99f", 1) and "ok .99")
print(pcall(string.format, "%------d", 1))
print(pcall(string.format, "%-----d|", 1))
print(pcall(string.format, "%-+ #0d", 1))
