-- an empty table is an empty object
return cjson.encode({})
