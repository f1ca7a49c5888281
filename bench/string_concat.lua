-- bench: concatenation with .. of strings and numbers, and tostring
local total = 0
for round = 1, 120 do
  local s = ""
  for i = 1, 3000 do s = s .. "x" end
  total = total + #s
  for i = 1, 20000 do
    local t = "a" .. i .. "b" .. (i * 0.5) .. "c"
    total = total + #t
  end
end
print("total", total)
