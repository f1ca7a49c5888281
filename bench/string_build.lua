-- bench: building strings with table.concat and string.rep
local total = 0
local last
for round = 1, 320 do
  local parts = {}
  for i = 1, 10000 do
    parts[#parts + 1] = "item"
    parts[#parts + 1] = tostring(i)
    parts[#parts + 1] = ";"
  end
  local s = table.concat(parts)
  total = total + #s
  local lines = {}
  for i = 1, 1000 do lines[i] = ("x"):rep(i % 20) end
  last = table.concat(lines, "\n")
  total = total + #last
end
print("total length", total, #last)
