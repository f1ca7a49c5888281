-- tostring of numbers and tonumber of strings in base 10
print(tostring(10), tostring(-0.5), tostring(1e100), tostring(2^63), tostring(1/0))
print(tonumber("10"), tonumber("  10  "), tonumber("10 1"), tonumber("0x1F"), tonumber("1e1"))
print(tonumber(""), tonumber(" "), tonumber("-"), tonumber("-.5"), tonumber("+.5e+2"))
print(tonumber(nil), tonumber(true), tonumber({}), tonumber(5), tonumber("5", 10))
print(tonumber("1e500"), tonumber("-1e500"), tonumber("0x"), tonumber(".e1"))
print(pcall(tonumber))
