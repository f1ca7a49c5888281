-- a backslash before a newline in a short string inserts a newline
local s = "first\
second\
third"
print(s, #s)
local t = 'a\
b'
print(t:byte(1, -1))
print(loadstring("return 'x\\\r\ny'")():byte(1, -1))
