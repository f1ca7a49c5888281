-- single-quoted strings are not JSON
return cjson.decode("'x'")
