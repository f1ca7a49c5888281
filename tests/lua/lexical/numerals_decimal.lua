-- decimal numerals: integers, fractions, exponents, leading and trailing dots
print("int", 0, 1, 42, 007, 1234567890)
print("frac", 3.0, 3.25, .5, 5., 0.125)
print("exp", 1e3, 1E3, 2.5e-3, 1e+2, .5e1, 5.e2)
print("big", 1e15, 1e16, 123456789012345, 1e100, 1e308)
print("small", 1e-5, 1e-300, 5e-324)
print("inf", 1e309, -1e309)
print("types", type(1), type(1.5), type(1e2))
print("zero", 0.0, 0e10, -0.0 == 0)
