-- a misspelt literal
return cjson.decode("tru")
