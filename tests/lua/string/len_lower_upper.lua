-- len, lower and upper; case mapping only touches ASCII letters in the C locale
print(string.len(""), string.len("abc"), ("a\0b"):len(), string.len(123))
print(("Hello World 123"):upper(), ("Hello World 123"):lower())
print(("\200\233\255"):upper():byte(1, -1))
print(("MiXeD_cAsE-ß"):lower(), ("mixed"):upper())
print(string.upper(12.5), string.lower(1e20))
print(pcall(string.len))
print(pcall(string.upper, {}))
