-- encode_invalid_numbers with an invalid value
return cjson.encode_invalid_numbers("maybe")
