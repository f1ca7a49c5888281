-- string.reverse on empty, single, binary and long strings
print(("abc"):reverse(), (""):reverse(), ("a"):reverse())
print(("a\0b"):reverse():byte(1, -1))
print(("racecar"):reverse() == "racecar", string.reverse(12345))
local s = ("0123456789"):rep(10)
print(s:reverse():sub(1, 12))
print(pcall(string.reverse))
