-- non-sequence number keys become strings
return cjson.encode({[1.5] = "x"})
