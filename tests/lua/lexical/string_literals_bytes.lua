-- every byte value can be written with a decimal escape and reads back
local parts = {}
for i = 0, 255 do
  local s = loadstring("return '\\" .. i .. "'")()
  parts[#parts + 1] = (s:byte() == i) and "" or ("bad" .. i)
end
print(table.concat(parts), #parts)
print(("\0\1\2\3"):byte(1, -1))
print(#"\1234", ("\1234"):byte(1, -1))
print(#"\0001", ("\0001"):byte(1, -1))
