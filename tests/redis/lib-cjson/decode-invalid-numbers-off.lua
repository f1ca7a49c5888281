-- decode_invalid_numbers(false) refuses nan, inf and hex
cjson.decode_invalid_numbers(false)
return {pcall(cjson.decode, "nan")}
