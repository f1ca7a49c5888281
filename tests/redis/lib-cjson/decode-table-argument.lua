-- decode of a table is an error
return cjson.decode({})
