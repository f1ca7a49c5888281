-- bench: array reads and writes, insertion at the end and numeric for loops
local N = 200000
local a = {}
for i = 1, N do a[i] = i * 2 end
local sum = 0
for round = 1, 270 do
  for i = 1, N do a[i] = a[i] + round end
  for i = 1, N, 3 do sum = sum + a[i] end
end
local b = {}
for i = 1, N do b[#b + 1] = a[i] % 7 end
local hist = { 0, 0, 0, 0, 0, 0, 0 }
for i = 1, #b do local k = b[i] + 1 hist[k] = hist[k] + 1 end
for round = 1, 63 do
  local c = {}
  for i = 1, N do c[i] = b[N - i + 1] end
  b = c
end
print("sum", sum, "hist", table.concat(hist, ","), b[1], b[N])
