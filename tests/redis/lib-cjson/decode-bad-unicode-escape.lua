-- a \u escape with non-hex digits
return cjson.decode('"\\u12g4"')
