-- an unknown escape
return cjson.decode('"\\q"')
