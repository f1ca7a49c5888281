-- binaryheap: push and pop numbers
local bh = require "binaryheap"
local total = 0
for r = 1, 4 do
  local h = bh.minUnique()
  local x = 7
  for i = 1, 40000 do
    x = (x * 1103515245 + 12345) % 2147483648
    h:insert(x % 1000003, "p" .. i)
  end
  while h:peek() do
    local payload, p = h:pop()
    total = (total + p) % 1000000007
  end
end
print("binaryheap", total)
