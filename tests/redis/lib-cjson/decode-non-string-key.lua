-- an object key that is not a string
return cjson.decode('{1: 2}')
