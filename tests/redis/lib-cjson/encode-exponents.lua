-- small and large magnitudes use exponent notation
return cjson.encode({1e-7, 1e21, -2.5e-300, 1e15, 1e14, 123456.789e3})
