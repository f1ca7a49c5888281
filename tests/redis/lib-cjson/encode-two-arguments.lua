-- encode with two arguments
return cjson.encode(1, 2)
