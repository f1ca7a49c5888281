-- encode_number_precision changes the digits written
cjson.encode_number_precision(3)
local a = cjson.encode({math.pi, 1234567, 0.000123456})
cjson.encode_number_precision(14)
return {a, cjson.encode(math.pi), cjson.encode_number_precision()}
