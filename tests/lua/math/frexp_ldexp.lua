-- frexp splits into mantissa and exponent; ldexp puts them back
for _, v in ipairs({ 1, 8, 0.5, 3, -3, 0, 1e300, 1e-310, 1/0, 1000 }) do
  local m, e = math.frexp(v)
  print(v, m, e, math.ldexp(m, e))
end
print(math.ldexp(1, 1024), math.ldexp(1, -1075), math.ldexp(3, 2.9), math.ldexp(1, -1074))
print(pcall(math.ldexp, 1))
print(pcall(math.frexp, "x"))
