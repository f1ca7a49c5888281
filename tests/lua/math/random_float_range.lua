-- math.random() stays in [0, 1) and random(m, n) covers its whole range after a seed
math.randomseed(99)
local seen = {}
local lo, hi = 1, 0
for i = 1, 5000 do
  local r = math.random()
  if r < lo then lo = r end
  if r > hi then hi = r end
  seen[math.random(3, 7)] = true
end
print(lo >= 0, hi < 1, seen[3], seen[7], seen[2], seen[8])
print(string.format("%.12f %.12f", lo, hi))
