-- string.find with patterns returns the span and then any captures
print(("key = value"):find("(%w+)%s*=%s*(%w+)"))
print(("  trim  "):find("^%s*(.-)%s*$"))
print(("abc123def"):find("%d+"))
print(("abc"):find("b*"), ("abc"):find("x*"), ("abc"):find("c$"), ("abc"):find("^b"))
print(("2024-01-15"):find("(%d+)-(%d+)-(%d+)"))
print(("hello"):find("()ll()"))
print(("a.b.c"):find("%.", 3))
