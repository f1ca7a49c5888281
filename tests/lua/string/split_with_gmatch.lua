-- splitting strings with gmatch: fields, empty fields and separators at the ends
local function split(s, sep)
  local out = {}
  for field in (s .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do out[#out + 1] = field end
  return out
end
for _, s in ipairs({ "a,b,c", ",a,,b,", "", "single", ",,," }) do
  local parts = split(s, ",")
  local shown = {}
  for i, p in ipairs(parts) do shown[i] = "[" .. p .. "]" end
  print(string.format("%-10q", s), #parts, table.concat(shown))
end
print(#split("a.b.c", "."), #split("a--b--c", "--"))
