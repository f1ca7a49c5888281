-- decode_invalid_numbers(false) refuses hexadecimal
cjson.decode_invalid_numbers(false)
return {pcall(cjson.decode, "[0x10]")}
