-- string.sub with every combination of positive, negative, zero and out-of-range indices
local s = "hello"
local idx = { -7, -5, -1, 0, 1, 2, 5, 6, 10 }
for _, i in ipairs(idx) do
  local row = {}
  for _, j in ipairs(idx) do row[#row + 1] = "[" .. s:sub(i, j) .. "]" end
  print(i, table.concat(row))
end
print(s:sub(2), s:sub(-2), s:sub(0), s:sub(100))
print(s:sub(2.5, 3.9), s:sub("2", "3"))
print(pcall(string.sub))
print(pcall(string.sub, "x", {}))
