-- decode_max_depth with a negative value
return cjson.decode_max_depth(-5)
