-- a boolean key cannot be encoded
return cjson.encode({[true] = 1})
