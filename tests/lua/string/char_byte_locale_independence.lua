-- character classes use the C locale: bytes above 127 are neither letters nor spaces
local hi = {}
for i = 128, 255 do hi[#hi + 1] = string.char(i) end
local s = table.concat(hi)
print(#s:gsub("%a", ""), #s:gsub("%s", ""), #s:gsub("%p", ""), #s:gsub("%c", ""), #s:gsub("%w", ""))
