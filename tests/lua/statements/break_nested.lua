-- break leaves only the innermost loop
local out = {}
for i = 1, 3 do
  for j = 1, 3 do
    if j > i then break end
    out[#out + 1] = i .. j
  end
end
print(table.concat(out, " "))
local n = 0
while true do
  repeat
    n = n + 1
    if n % 2 == 0 then break end
  until false
  if n > 6 then break end
end
print(n)
for i = 1, 10 do
  if i == 3 then print("breaking at", i) break end
end
