-- allocating and dropping many objects does not change program results
local total = 0
for round = 1, 50 do
  local t = {}
  for i = 1, 2000 do t[i] = { i, tostring(i), function() return i end } end
  for i = 1, #t, 97 do total = total + t[i][1] + #t[i][2] + t[i][3]() end
end
print(total)
local s = {}
for i = 1, 10000 do s[#s + 1] = ("x"):rep(i % 50) end
print(#table.concat(s))
collectgarbage("collect")
print("ok")
