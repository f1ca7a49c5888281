-- decode of the empty string
return cjson.decode("")
