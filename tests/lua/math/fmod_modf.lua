-- fmod keeps the sign of the dividend; modf splits into integral and fractional parts
for _, p in ipairs({ { 7, 3 }, { -7, 3 }, { 7, -3 }, { -7, -3 }, { 5.5, 2 }, { 1, 0 }, { 0, 5 }, { 1/0, 2 }, { 5, 1/0 } }) do
  print(p[1], p[2], math.fmod(p[1], p[2]))
end
for _, v in ipairs({ 3.75, -3.75, 5, -0.5, 1/0, -1/0, 1e20 + 0.5 }) do
  print(v, math.modf(v))
end
print(math.mod(7, 3), math.mod == math.fmod)
print(pcall(math.fmod, 1))
print(pcall(math.modf))
