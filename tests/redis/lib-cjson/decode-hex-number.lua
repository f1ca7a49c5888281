-- hexadecimal numbers are accepted by default
return tostring(cjson.decode("0x1F"))
