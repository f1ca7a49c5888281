-- a mixed table is an object with string keys for the integers (traversal order)
return cjson.encode({10, 20, x = "y"})
