-- an object key without a colon
return cjson.decode('{"a" 1}')
