-- a trailing comma in an array
return cjson.decode("[1,]")
