-- decode with no argument
return cjson.decode()
