-- modulo follows a - floor(a/b)*b for every sign combination and for floats
local vals = { 5, -5, 3.5, -3.5, 0, 1e15 + 0.5 }
local divs = { 3, -3, 2.5, -2.5, 1, 0.1 }
for _, a in ipairs(vals) do
  local row = {}
  for _, b in ipairs(divs) do
    row[#row + 1] = string.format("%.10g", a % b)
  end
  print(a, table.concat(row, " "))
end
print("by zero", 1 % 0, -1 % 0, 0 % 0)
print("inf", 5 % math.huge, -5 % math.huge, math.huge % 2)
