-- math.floor and math.ceil on integers, fractions, negatives, huge values and specials
for _, v in ipairs({ 0, 1, -1, 1.5, -1.5, 2.5, -2.5, 0.1, -0.1, 1e15 + 0.5, 2^53, 1e300 }) do
  print(v, math.floor(v), math.ceil(v))
end
print(math.floor(1/0), math.ceil(-1/0), math.floor("3.7"), math.ceil("-3.7"))
print(pcall(math.floor, "x"))
print(pcall(math.ceil))
