-- cjson: a number with 100000 digits, and an exponent out of range
return {tostring(cjson.decode(string.rep("9", 100000))), tostring(cjson.decode("1e999999")), tostring(cjson.decode("-1e-999999"))}
