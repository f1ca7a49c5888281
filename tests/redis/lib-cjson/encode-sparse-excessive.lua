-- an excessively sparse array is an error by default
return cjson.encode({[20] = 1})
