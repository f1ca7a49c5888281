-- an unterminated object
return cjson.decode("{")
