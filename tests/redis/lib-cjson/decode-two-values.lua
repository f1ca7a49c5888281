-- two values one after the other
return cjson.decode("1 2")
