-- a seeded random sequence: bounds respected and a deterministic checksum
math.randomseed(2024)
local lo, hi, sum = math.huge, -math.huge, 0
for i = 1, 10000 do
  local v = math.random(6)
  if v < lo then lo = v end
  if v > hi then hi = v end
  sum = sum + v
end
print(lo, hi, sum)
local f = 0
for i = 1, 1000 do local x = math.random() f = f + x assert(x >= 0 and x < 1) end
print(string.format("%.6f", f))
