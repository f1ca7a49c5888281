-- encode_invalid_numbers(true) writes NaN and infinity
cjson.encode_invalid_numbers(true)
return cjson.encode({1/0, -1/0, 0/0})
