-- exponent notation with and without signs, fractions and leading zeros
print(1e2, 1E2, 1e+2, 1e-2, 1.5e2, .5e2, 5.e2, 0e0, 000123, 0.000e5)
print(1e-320 > 0, 1e-330 == 0, 1e308 * 10 == math.huge)
print(loadstring("return 1e2e3"))
print(loadstring("return 1.e"))
