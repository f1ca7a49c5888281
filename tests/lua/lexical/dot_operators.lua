-- '.', '..' and '...' are lexed greedily and kept apart from numbers by spaces
print(1 .. 2, 1 .. "", "a" .. 1.5)
print(loadstring("return 1..2"))
print(loadstring("return 1 ..2")())
print(loadstring("return 1.. 2"))
print(loadstring("return ... .. 'x'")("v"))
print(loadstring("return ....'x'"))
