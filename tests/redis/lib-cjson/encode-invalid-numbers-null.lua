-- encode_invalid_numbers("null") writes null instead
cjson.encode_invalid_numbers("null")
return cjson.encode({1/0, -1/0, 0/0, 5})
