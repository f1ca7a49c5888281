-- 6000 seeded draws of a die, counted per face
math.randomseed(2024)
local counts = {0, 0, 0, 0, 0, 0}
for i = 1, 6000 do
  local f = math.random(6)
  counts[f] = counts[f] + 1
end
return counts
