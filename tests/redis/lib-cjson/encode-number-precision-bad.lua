-- encode_number_precision(15) is out of range
return cjson.encode_number_precision(15)
