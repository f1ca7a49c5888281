-- integers encode without a fraction
return cjson.encode({1, -1, 0, 123456789, -2147483648, 4294967296})
