-- a NUL byte inside a string
return cjson.encode("a\0b")
