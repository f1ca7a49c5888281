-- sub and byte treat fractional and huge indices by truncation and clamping
local s = "abcdef"
print(s:sub(1.9, 3.1), s:sub(-1.5), s:sub(2^31), s:sub(-2^31), s:sub(2, 2^53))
print(s:byte(1.9), s:byte(-1.1), s:byte(2^40))
