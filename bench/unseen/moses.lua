-- Moses: functional operations on arrays
local M = require "moses"
local total = 0
for r = 1, 10 do
  local a = M.range(1, 20000)
  local b = M.map(a, function(v) return v * 3 end)
  local c = M.filter(b, function(v) return v % 2 == 0 end)
  local s = M.reduce(c, function(acc, v) return acc + v end, 0)
  local g = M.countBy(a, function(v) return v % 7 end)
  local z = M.zip(a, b)
  total = total + s + #z + g[3] + #M.uniq(M.map(a, function(v) return v % 100 end))
end
print("moses", total)
