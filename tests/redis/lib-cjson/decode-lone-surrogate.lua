-- a lone high surrogate is invalid
return cjson.decode('"\\ud800"')
