-- tostring of numbers uses 14 significant digits and C's %g exponent rules
for _, v in ipairs({ 1e14, 1e15, 123456789012345, 0.1, 1/7, 100000000000000.5, 1e-4, 1.5e-5, 2^-20, 12.0, -1e100 }) do
  io.write(tostring(v), " ")
end
print()
