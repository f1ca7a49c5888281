-- numbers are written with 14 significant digits
return cjson.encode({3.14159265358979, 1/3, 0.1, 2/3, 123456789012345678, 1e100})
