-- a negative number key makes the table an object
return cjson.encode({[-1] = "neg"})
