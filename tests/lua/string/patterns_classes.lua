-- every character class and its complement, applied to all printable ASCII characters
local chars = {}
for i = 32, 126 do chars[#chars + 1] = string.char(i) end
local all = table.concat(chars) .. "\t\n\0\127"
for _, c in ipairs({ "a", "c", "d", "l", "p", "s", "u", "w", "x", "z" }) do
  local lower = all:gsub("[^%" .. c .. "]", "")
  local upper = all:gsub("%" .. c, "")
  print("%" .. c, #lower, #upper, (lower:gsub("%c", "?")))
end
print(#all:gsub(".", ""), select(2, all:gsub(".", "")))
