-- string.byte with default, positive, negative and out-of-range positions
local s = "ABCDE"
print(s:byte(), s:byte(1), s:byte(5), s:byte(6), s:byte(0))
print(s:byte(-1), s:byte(-5), s:byte(-6))
print(s:byte(2, 4))
print(s:byte(-3, -1))
print(s:byte(4, 2))
print(s:byte(1, 100))
print(s:byte(-100, 2))
print(select("#", s:byte(3, 2)), select("#", (""):byte()))
print(("\0\255\128"):byte(1, -1))
print(string.byte("7", 1), string.byte(7))
print(s:byte(1.9), s:byte("2"))
