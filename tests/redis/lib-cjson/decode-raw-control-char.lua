-- a raw control character inside a string
return cjson.decode('"a\nb"')
