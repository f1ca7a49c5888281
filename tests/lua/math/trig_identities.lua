-- trigonometric identities hold within rounding for many angles
local worst = 0
for i = -100, 100 do
  local x = i * 0.123
  local e = math.abs(math.sin(x) ^ 2 + math.cos(x) ^ 2 - 1)
  if e > worst then worst = e end
end
print(worst < 1e-15)
print(math.atan2(0, 1), math.atan2(0, -1) == math.pi, math.atan2(-(0 * 1), -1), math.atan2(-math.abs(0), -1))
print(math.sin(0), math.cos(0), math.tan(0))
