-- a table with one string key is an object
return cjson.encode({name = "ann"})
