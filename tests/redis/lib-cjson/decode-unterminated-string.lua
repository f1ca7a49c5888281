-- an unterminated string
return cjson.decode('"abc')
