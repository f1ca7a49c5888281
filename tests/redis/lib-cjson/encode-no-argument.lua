-- encode with no argument
return cjson.encode()
