-- bench: table.sort with the default comparison and with a Lua comparator
local N = 100000
local seed = 12345
local function rand() seed = (seed * 1103515245 + 12345) % 2147483648 return seed end
local total = 0
for round = 1, 5 do
  local a, b = {}, {}
  for i = 1, N do a[i] = rand() % 1000000; b[i] = { k = rand() % 1000, id = i } end
  table.sort(a)
  table.sort(b, function(x, y) if x.k ~= y.k then return x.k < y.k end return x.id < y.id end)
  total = total + a[1] + a[N] + a[N / 2] + b[1].id + b[N].id
end
print("total", total)
