-- string.byte and string.char invert each other over all byte values
local t = {}
for i = 0, 255 do t[#t + 1] = i end
local s = string.char(unpack(t))
local back = { s:byte(1, -1) }
local same = #back == 256
for i = 1, 256 do if back[i] ~= i - 1 then same = false end end
print(#s, same, s:byte(-1), s:sub(98, 100))
