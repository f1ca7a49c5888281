-- a table key cannot be encoded
return cjson.encode({[{}] = 1})
