-- numbers print with %.14g: integers without decimals, up to 14 significant digits
print(1, 1.0, -1, 100, 1e14, 1e15, 123456789012345678)
print(0.1, 1/3, 2/3, 1e-4, 1e-5, 0.1 + 0.2)
print(3.14159265358979, 2^53, 2^63, 2^64)
print(12345678901234, 123456789012345, 1234567890123456)
print(-1e-310, 1e-320, 2^-1074)
print(100 / 3, 1e21, 1e20 + 1)
print(255 / 5, 7.0, -7.5, 1e0)
