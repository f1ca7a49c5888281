-- string.char builds strings from byte values and rejects values outside 0..255
print(string.char(72, 105), string.char(), #string.char())
print(#string.char(0, 0, 0), string.char(255):byte())
print(string.char(65.7, "66"))
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, 65, "x"))
print(pcall(string.char, 65, nil))
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
print(#s, s:byte(1), s:byte(256), s:sub(66, 70))
