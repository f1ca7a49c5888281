-- a small gap in an array is filled with null
return cjson.encode({[1] = 1, [2] = 2, [4] = 4})
