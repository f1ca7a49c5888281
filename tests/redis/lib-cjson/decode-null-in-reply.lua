-- cjson.null inside a returned array
return cjson.decode("[1, null, 3]")
