-- a lone low surrogate is invalid
return cjson.decode('"x\\udc00"')
