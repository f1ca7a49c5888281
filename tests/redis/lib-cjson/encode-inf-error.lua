-- infinity cannot be encoded by default
return cjson.encode({1/0})
