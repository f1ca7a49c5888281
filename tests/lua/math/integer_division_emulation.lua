-- integer division and remainder through floor and % for all sign combinations
for _, a in ipairs({ 7, -7, 7.5, 0 }) do
  for _, b in ipairs({ 2, -2, 0.5 }) do
    io.write(string.format("%g//%g=%g %g%%%g=%g  ", a, b, math.floor(a / b), a, b, a % b))
  end
  print()
end
