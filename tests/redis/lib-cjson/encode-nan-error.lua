-- NaN cannot be encoded by default
return cjson.encode(0/0)
