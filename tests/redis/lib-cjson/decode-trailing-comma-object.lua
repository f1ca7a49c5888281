-- a trailing comma in an object
return cjson.decode('{"a":1,}')
